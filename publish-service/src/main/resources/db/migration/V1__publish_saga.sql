-- Publish saga (main seed 5.6): one orchestrated instance per listing task, persisted so that
-- a crashed worker resumes or compensates from the last recorded step.
CREATE TABLE publish_saga (
    saga_id         BIGINT       PRIMARY KEY,          -- snowflake id
    task_id         BIGINT       NOT NULL UNIQUE,      -- at most one saga per listing task
    item_id         BIGINT,
    status          VARCHAR(32)  NOT NULL DEFAULT 'started'
                    CHECK (status IN ('started', 'completed', 'compensating', 'compensated', 'failed')),
    current_step    VARCHAR(64),
    completed_steps INT          NOT NULL DEFAULT 0,
    attempts        INT          NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX publish_saga_status_updated ON publish_saga (status, updated_at DESC);

-- Each step's outcome (seed 5.6.1: create item, SKU, attributes, price, update status, publish
-- event, update cache, sync search index); compensation runs over these in reverse step order.
CREATE TABLE publish_saga_step (
    saga_id     BIGINT       NOT NULL REFERENCES publish_saga (saga_id) ON DELETE CASCADE,
    step_no     INT          NOT NULL,
    step_name   VARCHAR(64)  NOT NULL,
    status      VARCHAR(32)  NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'compensating', 'compensated', 'compensation_failed')),
    attempts    INT          NOT NULL DEFAULT 0,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    error       TEXT,
    PRIMARY KEY (saga_id, step_no)
);
