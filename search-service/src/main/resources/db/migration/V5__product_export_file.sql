-- The finished .xlsx of a product export, kept in the database so that any replica serves the
-- download, not only the one that wrote it. Written in the transaction that marks the job DONE;
-- goes with its job when the retention purge deletes finished jobs.
CREATE TABLE product_export_file (
    export_id BIGINT PRIMARY KEY REFERENCES product_export_job (export_id) ON DELETE CASCADE,
    content   BYTEA  NOT NULL,
    bytes     BIGINT NOT NULL
);

-- The purge's search: finished jobs by age.
CREATE INDEX product_export_job_finished ON product_export_job (finished_at) WHERE status IN ('DONE', 'FAILED');

COMMENT ON COLUMN product_export_job.file_key IS 'no longer written: the file is product_export_file.content';
