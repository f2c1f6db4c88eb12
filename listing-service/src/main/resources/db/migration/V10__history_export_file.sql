-- The finished .xlsx of a history export, kept in the database so that any replica serves the
-- download, not only the one that wrote it. Written in the transaction that marks the job DONE;
-- goes with its job when the retention purge deletes finished jobs.
CREATE TABLE history_export_file (
    job_id  BIGINT PRIMARY KEY REFERENCES history_export_job (id) ON DELETE CASCADE,
    content BYTEA  NOT NULL,
    bytes   BIGINT NOT NULL
);

-- The purge's search: finished jobs by age.
CREATE INDEX history_export_job_finished ON history_export_job (finished_at) WHERE status IN ('DONE', 'FAILED');

COMMENT ON COLUMN history_export_job.file_key IS 'no longer written: the file is history_export_file.content';
