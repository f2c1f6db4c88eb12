-- One row per reconciliation of the projections (Redis, search index) against the catalogue.
CREATE TABLE reconciliation_run (
    run_id        bigint PRIMARY KEY,
    trigger       text        NOT NULL,              -- cron / manual
    status        text        NOT NULL,              -- running / succeeded / failed / skipped
    scope         jsonb       NOT NULL DEFAULT '{}', -- the StreamItems filters of a manual run
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    scanned       bigint      NOT NULL DEFAULT 0,
    repaired      bigint      NOT NULL DEFAULT 0,
    drift_counts  jsonb       NOT NULL DEFAULT '{}', -- kind -> count
    drift_samples jsonb       NOT NULL DEFAULT '{}', -- kind -> up to 100 item ids
    error         text
);
CREATE INDEX reconciliation_run_started ON reconciliation_run (started_at DESC);
