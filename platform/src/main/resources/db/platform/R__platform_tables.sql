-- Tables every service owns in its own schema, managed by the platform library.
-- A repeatable migration of idempotent DDL, so the platform can grow without
-- clashing with the services' own version numbers.

-- Transactional outbox: written in the same transaction as the state change it announces.
CREATE TABLE IF NOT EXISTS outbox_event (
    id          BIGSERIAL PRIMARY KEY,
    event_id    VARCHAR(64)  NOT NULL UNIQUE,
    topic       VARCHAR(200) NOT NULL,
    msg_key     VARCHAR(200) NOT NULL,
    event_type  VARCHAR(64)  NOT NULL,
    payload     BYTEA        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    attempts    INT          NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX IF NOT EXISTS outbox_event_unsent ON outbox_event (id) WHERE sent_at IS NULL;

-- No NOTIFY trigger: PostgreSQL serialises the commits of transactions that NOTIFY (a global
-- lock on the notification queue is held through commit), which capped single-row writes at
-- about 170 commits/s on our machines. The publisher polls the partial index below instead.
DROP TRIGGER IF EXISTS outbox_event_notify ON outbox_event;
DROP FUNCTION IF EXISTS outbox_notify();

-- Idempotent consumer: the dedupe row commits with the business change it guards.
CREATE TABLE IF NOT EXISTS processed_event (
    consumer     VARCHAR(100) NOT NULL,
    event_id     VARCHAR(64)  NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Runs of cluster-singleton jobs, so operators can see what ran where and when.
CREATE TABLE IF NOT EXISTS job_run (
    id          BIGSERIAL PRIMARY KEY,
    job_name    VARCHAR(100) NOT NULL,
    node        VARCHAR(100) NOT NULL,
    started_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    outcome     VARCHAR(20),
    detail      TEXT
);
CREATE INDEX IF NOT EXISTS job_run_name_started ON job_run (job_name, started_at DESC);
