-- Data lifecycle (issue 13). maintenance-service manages the monthly partitions of every service's
-- partitioned tables over JDBC (one database, a schema per service): this registry says which
-- tables and for how long. Partitions are named <table>_YYYYMM (the services' migrations make
-- them so); a month is kept attached for retention_months after it ended, then detached into the
-- schema "archive" (DataArchiveWorker), and dropped archive_retention_months later
-- (DeletedTableCleanupWorker). TableShardingWorker makes the coming months_ahead months.
CREATE TABLE partitioned_table (
    table_schema             VARCHAR(63) NOT NULL,
    table_name               VARCHAR(63) NOT NULL,
    months_ahead             INT         NOT NULL DEFAULT 2 CHECK (months_ahead BETWEEN 0 AND 24),
    retention_months         INT         NOT NULL CHECK (retention_months >= 1),
    archive_retention_months INT         NOT NULL CHECK (archive_retention_months >= 0),
    storage_params           TEXT,                   -- WITH (...) of new partitions, e.g. fillfactor = 50
    enabled                  BOOLEAN     NOT NULL DEFAULT true,
    PRIMARY KEY (table_schema, table_name)
);
INSERT INTO partitioned_table (table_schema, table_name, months_ahead, retention_months, archive_retention_months, storage_params) VALUES
    ('listing', 'listing_state_history',   2, 12, 24, NULL),
    ('listing', 'product_version_history', 3, 24, 36, NULL),
    ('audit',   'listing_audit_log',       2, 12, 36, NULL),
    ('batch',   'operation_batch_item',    2,  6, 12, 'fillfactor = 50'),
    ('batch',   'operation_batch_history', 2, 12, 24, NULL);

-- Partitions detached into the archive schema, until they are dropped.
CREATE TABLE archived_partition (
    table_schema   VARCHAR(63) NOT NULL,
    table_name     VARCHAR(63) NOT NULL,
    month          DATE        NOT NULL,             -- first day of the partition's month
    archive_table  VARCHAR(63) NOT NULL,             -- its name in schema "archive"
    row_count      BIGINT      NOT NULL,
    archived_at    TIMESTAMPTZ NOT NULL,
    dropped_at     TIMESTAMPTZ,
    PRIMARY KEY (table_schema, table_name, month)
);

-- Tables with a soft delete: DataCleanupWorker purges rows deleted more than retention_days ago.
CREATE TABLE soft_delete_table (
    table_schema   VARCHAR(63) NOT NULL,
    table_name     VARCHAR(63) NOT NULL,
    deleted_column VARCHAR(63) NOT NULL DEFAULT 'deleted_at',
    retention_days INT         NOT NULL CHECK (retention_days >= 0),
    enabled        BOOLEAN     NOT NULL DEFAULT true,
    PRIMARY KEY (table_schema, table_name)
);
INSERT INTO soft_delete_table (table_schema, table_name, deleted_column, retention_days) VALUES
    ('listing', 'listing_task', 'deleted_at', 90);

-- What every lifecycle run did to each table: which partitions, how many rows, how long.
CREATE TABLE lifecycle_run (
    id           BIGSERIAL    PRIMARY KEY,
    job          VARCHAR(64)  NOT NULL,              -- table-sharding / data-archive / deleted-table-cleanup / data-cleanup
    table_schema VARCHAR(63)  NOT NULL,
    table_name   VARCHAR(63)  NOT NULL,
    partitions   TEXT[]       NOT NULL DEFAULT '{}',
    row_count    BIGINT       NOT NULL DEFAULT 0,
    duration_ms  BIGINT       NOT NULL,
    outcome      VARCHAR(16)  NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'skipped')),
    detail       TEXT,
    ran_at       TIMESTAMPTZ  NOT NULL                -- the job's clock (a test moves it across months)
);
CREATE INDEX lifecycle_run_job ON lifecycle_run (job, ran_at DESC, id DESC);

-- NotificationWorker: each user's inbox (listing rejected, batch finished, ...).
CREATE TABLE notification (
    id           BIGSERIAL    PRIMARY KEY,
    user_id      BIGINT       NOT NULL,
    kind         VARCHAR(48)  NOT NULL,              -- listing.rejected / batch.completed / batch.partial_success / batch.failed / ...
    title        VARCHAR(300) NOT NULL,
    body         TEXT,
    subject_type VARCHAR(32)  NOT NULL,              -- listing_task / operation_batch
    subject_id   BIGINT       NOT NULL,
    event_id     VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    read_at      TIMESTAMPTZ,
    UNIQUE (event_id, user_id)
);
CREATE INDEX notification_inbox ON notification (user_id, id DESC);
CREATE INDEX notification_unread ON notification (user_id) WHERE read_at IS NULL;

-- Webhooks: a subscriber's URL gets every event of its kinds, signed with its secret
-- (HMAC-SHA256 of the body in header X-MarketOps-Signature).
CREATE TABLE webhook_subscription (
    id          BIGSERIAL     PRIMARY KEY,
    url         VARCHAR(2000) NOT NULL,
    secret      VARCHAR(200)  NOT NULL,
    kinds       TEXT[]        NOT NULL,
    active      BOOLEAN       NOT NULL DEFAULT true,
    created_by  BIGINT        NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- One delivery per subscription and event, retried with exponential backoff until it is
-- accepted (2xx) or runs out of attempts.
CREATE TABLE webhook_delivery (
    id              BIGSERIAL    PRIMARY KEY,
    subscription_id BIGINT       NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_id        VARCHAR(64)  NOT NULL,
    kind            VARCHAR(48)  NOT NULL,
    body            TEXT         NOT NULL,
    status          VARCHAR(16)  NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    lease_until     TIMESTAMPTZ,
    last_status     INT,
    last_error      TEXT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    delivered_at    TIMESTAMPTZ,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
