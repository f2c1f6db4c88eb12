-- One row per batch operation of any kind (main seed 3.3.2: a single batch table for every
-- operation, told apart by operation_type). The per-row items table comes with the upload issue.
-- operation_type has no CHECK on purpose: a new operation is a new enum value in code, not a migration.
CREATE TABLE operation_batch_task (
    batch_id           BIGINT       PRIMARY KEY,                 -- snowflake id
    batch_code         VARCHAR(64)  NOT NULL UNIQUE,             -- e.g. PRICE_20260101_<id>
    operation_type     VARCHAR(50)  NOT NULL,                    -- listing_upload / price_adjust / inventory_update / ...
    operation_params   JSONB        NOT NULL DEFAULT '{}'::jsonb, -- e.g. {"adjust_type": "percentage", "adjust_value": -20}
    category_ids       BIGINT[]     NOT NULL DEFAULT '{}',       -- the categories the batch touches
    file_name          VARCHAR(255),
    file_path          VARCHAR(500),
    file_size          BIGINT,
    file_md5           VARCHAR(64),
    total_count        INT          NOT NULL DEFAULT 0 CHECK (total_count >= 0),
    success_count      INT          NOT NULL DEFAULT 0 CHECK (success_count >= 0),
    failed_count       INT          NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
    processing_count   INT          NOT NULL DEFAULT 0 CHECK (processing_count >= 0),
    skipped_count      INT          NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
    status             VARCHAR(32)  NOT NULL DEFAULT 'created'
                       CHECK (status IN ('created', 'validating', 'processing', 'completed', 'partial_success', 'failed', 'cancelled')),
    progress           SMALLINT     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    -- What to do with rows that fail validation (the batch framework contract in ARCHITECTURE.md).
    error_policy       VARCHAR(32)  NOT NULL DEFAULT 'ignore_failed'
                       CHECK (error_policy IN ('ignore_failed', 'reject_failed_rows', 'reject_everything')),
    result_file        VARCHAR(500),
    error_summary      TEXT,
    estimated_duration INT,                                      -- seconds
    created_by         BIGINT       NOT NULL,
    started_at         TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version            BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX operation_batch_task_type_status ON operation_batch_task (operation_type, status, created_at DESC);
CREATE INDEX operation_batch_task_created_by ON operation_batch_task (created_by, created_at DESC);
CREATE INDEX operation_batch_task_created ON operation_batch_task (created_at DESC, batch_id DESC);
