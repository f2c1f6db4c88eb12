-- Fault tolerance (issue 12). An outage of the owning service (UNAVAILABLE, DEADLINE_EXCEEDED,
-- connection refused) is waited out, not counted against rows: while it lasts the batch says
-- what it waits for and since when, and how many times its chunks were put back.
ALTER TABLE operation_batch_task
    ADD COLUMN waiting_for    TEXT,
    ADD COLUMN waiting_since  TIMESTAMPTZ,
    ADD COLUMN outage_retries INT NOT NULL DEFAULT 0;

-- What happened to a batch besides its rows: outages waited out or given up on, retries of
-- failed rows and resumes by an operator (who, when, how many rows).
CREATE TABLE operation_batch_history (
    id          BIGSERIAL    PRIMARY KEY,
    batch_id    BIGINT       NOT NULL REFERENCES operation_batch_task (batch_id),
    action      VARCHAR(32)  NOT NULL,          -- outage_started / outage_ended / outage_budget_used / retry_failed / resume
    actor_id    BIGINT,                          -- null for the framework itself
    actor_type  VARCHAR(32),
    row_count   INT,
    detail      TEXT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX operation_batch_history_batch ON operation_batch_history (batch_id, id);
