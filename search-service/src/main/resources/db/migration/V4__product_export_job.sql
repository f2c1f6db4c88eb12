-- Product list exports to .xlsx (issue 16) as background jobs: the request (filter, selection,
-- columns, and who asked: their user id and, for a merchant, their shop, which the export is
-- confined to), its progress and the file. A replica claims a QUEUED job with SKIP LOCKED; a
-- RUNNING job whose heartbeat stopped (its pod died) is claimed again and written from the start.
CREATE TABLE product_export_job (
    export_id     BIGINT PRIMARY KEY,
    requested_by  BIGINT      NOT NULL,
    requester_shop BIGINT,
    filter        JSONB       NOT NULL DEFAULT '{}',
    sort          TEXT,
    item_ids      BIGINT[],
    columns       TEXT[]      NOT NULL,
    status        TEXT        NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    rows_written  BIGINT      NOT NULL DEFAULT 0,
    attempts      INT         NOT NULL DEFAULT 0,
    file_key      TEXT,
    file_bytes    BIGINT,
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at    TIMESTAMPTZ,
    heartbeat_at  TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX product_export_job_open ON product_export_job (created_at) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX product_export_job_requester ON product_export_job (requested_by, created_at DESC);
