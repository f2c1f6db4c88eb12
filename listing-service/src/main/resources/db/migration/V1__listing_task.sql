-- Listing tasks (main seed 3.3.1): one row per listing operation, the carrier of the whole flow.
CREATE TABLE listing_task (
    task_id           BIGINT       PRIMARY KEY,          -- snowflake id
    task_code         VARCHAR(64)  NOT NULL UNIQUE,
    task_type         VARCHAR(50)  NOT NULL,             -- single_create / batch_import / supplier_sync / api_import
    category_id       BIGINT       NOT NULL,
    item_id           BIGINT,
    batch_id          BIGINT,
    title             VARCHAR(255) NOT NULL,
    status            SMALLINT     NOT NULL DEFAULT 0,
    sub_status        VARCHAR(50),
    source_type       VARCHAR(50)  NOT NULL,
    source_file       VARCHAR(500),
    source_user_id    BIGINT,
    source_user_type  VARCHAR(50)  NOT NULL,
    merchant_id       BIGINT,
    item_data         JSONB        NOT NULL DEFAULT '{}'::jsonb,
    validation_result JSONB,
    error_message     TEXT,
    audit_type        VARCHAR(50),
    auditor_id        BIGINT,
    audit_time        TIMESTAMPTZ,
    audit_comment     TEXT,
    retry_count       INT          NOT NULL DEFAULT 0,
    max_retry         INT          NOT NULL DEFAULT 3,
    timeout_at        TIMESTAMPTZ,
    idempotency_key   VARCHAR(128),
    request_hash      VARCHAR(64),
    version           BIGINT       NOT NULL DEFAULT 0,
    created_by        BIGINT       NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- Seed 5.2: a retried create with the same key finds the first task instead of making a second.
CREATE UNIQUE INDEX listing_task_idempotency ON listing_task (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX listing_task_category_status ON listing_task (category_id, status, created_at DESC);
CREATE INDEX listing_task_status_created ON listing_task (status, created_at DESC);
CREATE INDEX listing_task_batch ON listing_task (batch_id) WHERE batch_id IS NOT NULL;

-- Every transition of a task (seed 3.3.4); creation is recorded as a transition into DRAFT.
CREATE TABLE listing_state_history (
    id            BIGSERIAL    PRIMARY KEY,
    task_id       BIGINT       NOT NULL,
    item_id       BIGINT,
    from_status   SMALLINT,
    to_status     SMALLINT     NOT NULL,
    action        VARCHAR(50)  NOT NULL,
    reason        VARCHAR(500),
    operator_id   BIGINT,
    operator_type VARCHAR(50),
    changed_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX listing_state_history_task ON listing_state_history (task_id, id);
