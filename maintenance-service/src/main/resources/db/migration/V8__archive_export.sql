-- DataArchiveWorker's optional export (issue 13): with marketops.lifecycle.archive-export.dir set,
-- an archived month is also written as a gzip'd CSV file (with a header row) before it may be
-- dropped; where it went, how many bytes and rows, and when.
ALTER TABLE archived_partition
    ADD COLUMN export_path  TEXT,
    ADD COLUMN export_bytes BIGINT,
    ADD COLUMN export_rows  BIGINT,
    ADD COLUMN exported_at  TIMESTAMPTZ;
