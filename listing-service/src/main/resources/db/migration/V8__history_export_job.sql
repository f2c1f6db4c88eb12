-- Asynchronous exports of product history: the request (filter and the caller it was made by,
-- so masking and shop scope are the requester's), its progress and the file it produced.
-- A job RUNNING whose heartbeat stopped (its pod died) is picked up again by another replica.
CREATE TABLE history_export_job (
    id            BIGINT PRIMARY KEY,
    requested_by  BIGINT      NOT NULL,
    requester     JSONB       NOT NULL,
    filter        JSONB       NOT NULL,
    status        TEXT        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'FAILED')),
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

CREATE INDEX history_export_job_open ON history_export_job (created_at) WHERE status IN ('PENDING', 'RUNNING');
CREATE INDEX history_export_job_requester ON history_export_job (requested_by, created_at DESC);
