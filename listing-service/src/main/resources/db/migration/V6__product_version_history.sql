-- Product change history (seed 002): one row per changed product per change, written in the
-- transaction of the change (and of its outbox event) by catalogue.history.ProductHistory.

-- The per-product version counter: the item row is locked by every change's transaction
-- already, so taking the next version from it makes versions gapless and strictly increasing
-- per product under concurrent writers (a rolled-back change rolls its number back too).
ALTER TABLE item ADD COLUMN history_version BIGINT NOT NULL DEFAULT 0;

-- Field diffs only: old_value / new_value hold the changed fields by path ("title",
-- "attributes.color", "skus.<code>.sale_price_cents", "skus.<code>.calendar.<slot>.stock", ...).
-- Partitioned by month on change_time, so retention is a partition drop, never a slow DELETE.
CREATE TABLE product_version_history (
    id                   BIGINT        NOT NULL GENERATED ALWAYS AS IDENTITY,
    product_id           BIGINT        NOT NULL,              -- item_id
    version_number       BIGINT        NOT NULL,              -- 1, 2, 3 ... per product
    change_type          VARCHAR(20)   NOT NULL
        CHECK (change_type IN ('PRICE', 'STOCK', 'SPEC', 'DESC', 'STATUS', 'ATTRIBUTE', 'TAG', 'ROLLBACK')),
    old_value            JSONB         NOT NULL,
    new_value            JSONB         NOT NULL,
    change_reason        VARCHAR(255),
    shop_id              BIGINT        NOT NULL,              -- the product's shop (merchants read only their own)
    operator_id          BIGINT        NOT NULL,
    operator_name        VARCHAR(100)  NOT NULL,
    operator_role        VARCHAR(30)   NOT NULL,
    ip_address           VARCHAR(64),
    device_info          VARCHAR(300),
    -- What caused the change.
    task_id              BIGINT,                              -- listing task
    batch_id             BIGINT,
    batch_row            INT,
    supplier_id          VARCHAR(64),
    supplier_message_id  VARCHAR(128),
    saga_id              VARCHAR(64),
    request_id           VARCHAR(128),
    change_time          TIMESTAMPTZ   NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (product_id, version_number, change_time)
) PARTITION BY RANGE (change_time);

-- Newest page of a product: the primary key read backwards. Other filters:
CREATE INDEX pvh_time ON product_version_history (change_time DESC, id DESC);
CREATE INDEX pvh_shop_time ON product_version_history (shop_id, change_time DESC, id DESC);
CREATE INDEX pvh_operator_time ON product_version_history (operator_id, change_time DESC, id DESC);
CREATE INDEX pvh_batch ON product_version_history (batch_id, batch_row) WHERE batch_id IS NOT NULL;
CREATE INDEX pvh_supplier ON product_version_history (supplier_id, change_time DESC) WHERE supplier_id IS NOT NULL;

-- Creates the monthly partitions from the month of {@code from_month} for {@code months}
-- months (idempotent). The migration makes the current and coming months; the
-- history-partition job (HistoryPartitionJob) keeps a few months ahead.
CREATE OR REPLACE FUNCTION ensure_history_partitions(from_month DATE, months INT) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
    m DATE := date_trunc('month', from_month)::date;
    made INT := 0;
    name TEXT;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        name := 'product_version_history_' || to_char(m + make_interval(months => i), 'YYYYMM');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF product_version_history FOR VALUES FROM (%L) TO (%L)',
                           name, (m + make_interval(months => i)) AT TIME ZONE 'UTC', (m + make_interval(months => i + 1)) AT TIME ZONE 'UTC');
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END $$;

SELECT ensure_history_partitions((now() AT TIME ZONE 'UTC')::date, 3);
-- A safety net only: a change is never refused for want of a partition (the job keeps this empty).
CREATE TABLE product_version_history_default PARTITION OF product_version_history DEFAULT;

-- Every read and export of the history (seed 002 section 6.4): who, which filter, when.
CREATE TABLE history_access_log (
    id           BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action       VARCHAR(20)   NOT NULL,                     -- read / diff / export
    user_id      BIGINT        NOT NULL,
    user_role    VARCHAR(30)   NOT NULL,
    filter_json  JSONB         NOT NULL,
    rows_seen    INT           NOT NULL DEFAULT 0,
    ip_address   VARCHAR(64),
    accessed_at  TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX history_access_log_time ON history_access_log (accessed_at DESC, id DESC);
