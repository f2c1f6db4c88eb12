-- The batch framework (ARCHITECTURE.md "Batch framework contract"): per-row items with their
-- own state, before/after values and errors, and what the batch row needs beyond V1.
ALTER TABLE operation_batch_task
    ADD COLUMN dry_run                 BOOLEAN     NOT NULL DEFAULT false,
    ADD COLUMN file_format             VARCHAR(8),                        -- xlsx / csv (the rejected-rows file uses it)
    ADD COLUMN header_row              JSONB,                             -- the uploaded header cells, in order
    ADD COLUMN validation_failed_count INT         NOT NULL DEFAULT 0 CHECK (validation_failed_count >= 0),
    ADD COLUMN cancel_requested        BOOLEAN     NOT NULL DEFAULT false,
    ADD COLUMN undo_of                 BIGINT,                            -- the batch this one reverts
    ADD COLUMN duplicate_of            BIGINT,                            -- an earlier batch with the same file (forced upload)
    ADD COLUMN applied_count           INT         NOT NULL DEFAULT 0;    -- items finished by workers (throughput -> ETA)
CREATE INDEX operation_batch_task_md5 ON operation_batch_task (created_by, file_md5) WHERE file_md5 IS NOT NULL;
CREATE INDEX operation_batch_task_running ON operation_batch_task (status) WHERE status IN ('validating', 'processing');

-- One row per uploaded row (or per expanded target). Partitioned by month on created_at,
-- which is the batch's creation instant for all its items: every query names batch_id and
-- created_at, so it prunes to one partition, and old months are detached whole.
CREATE TABLE operation_batch_item (
    batch_id       BIGINT       NOT NULL,
    row_no         INT          NOT NULL,                  -- the row in the uploaded sheet (1 = header)
    created_at     TIMESTAMPTZ  NOT NULL,
    target_type    VARCHAR(32)  NOT NULL,                  -- item / sku / listing_task / shop / voucher_code
    target_id      BIGINT,
    dedupe_key     TEXT,                                   -- repeated keys inside one file are DUPLICATE_IN_FILE
    payload        JSONB,                                  -- the row's typed values
    row_data       JSONB,                                  -- the raw cells as uploaded (rejected-rows file)
    status         VARCHAR(24)  NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'validating', 'validation_failed', 'processing', 'succeeded', 'failed', 'skipped')),
    before_value   JSONB,
    after_value    JSONB,
    pre_version    BIGINT,                                 -- the target's version just before the command (crash recovery)
    error_code     VARCHAR(64),
    error_field    VARCHAR(128),
    error_message  TEXT,
    attempts       INT          NOT NULL DEFAULT 0,
    lease_until    TIMESTAMPTZ,                            -- a claim by a worker; expired claims are taken again
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, created_at, row_no)
) PARTITION BY RANGE (created_at);
CREATE INDEX operation_batch_item_claim ON operation_batch_item (batch_id, status, row_no);
CREATE INDEX operation_batch_item_target ON operation_batch_item (batch_id, target_id);

-- Creates the monthly partitions from this month to months_ahead months on (idempotent);
-- the migration runs it once and BatchItemPartitionJob keeps the coming months ready.
CREATE OR REPLACE FUNCTION ensure_operation_batch_item_partitions(months_ahead INT) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
    m DATE;
    created INT := 0;
    part TEXT;
BEGIN
    FOR i IN 0..months_ahead LOOP
        m := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
        part := 'operation_batch_item_' || to_char(m, 'YYYYMM');
        IF to_regclass(quote_ident(current_schema()) || '.' || part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF operation_batch_item FOR VALUES FROM (%L) TO (%L)',
                           part, (m::timestamp AT TIME ZONE 'UTC'), ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;

SELECT ensure_operation_batch_item_partitions(1);
