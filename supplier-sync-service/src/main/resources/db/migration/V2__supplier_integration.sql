-- Supplier integration (issue 10): the registry grows what a sync needs, every supplier item
-- has its sync state (idempotency by supplier + external id + supplier version), failures are
-- recorded with their reason, pulls keep a watermark and a page cursor.

-- Registry: categories it may feed (config-service category ids), adapter kind, mode push/pull/both,
-- page size, rate limit, a reference to its credentials (never the secret), the shop its goods
-- belong to, and an optimistic version.
ALTER TABLE supplier DROP CONSTRAINT IF EXISTS supplier_sync_mode_check;
ALTER TABLE supplier DROP CONSTRAINT IF EXISTS supplier_check;
ALTER TABLE supplier DROP CONSTRAINT IF EXISTS supplier_check1;
ALTER TABLE supplier
    ADD COLUMN adapter               VARCHAR(32)  NOT NULL DEFAULT 'deal_feed',
    ADD COLUMN category_ids          BIGINT[]     NOT NULL DEFAULT '{}',
    ADD COLUMN shop_id               BIGINT       NOT NULL DEFAULT 1,
    ADD COLUMN page_size             INT          NOT NULL DEFAULT 100 CHECK (page_size BETWEEN 1 AND 1000),
    ADD COLUMN rate_limit_per_second INT          NOT NULL DEFAULT 20 CHECK (rate_limit_per_second BETWEEN 1 AND 10000),
    ADD COLUMN credential_ref        VARCHAR(200),
    ADD COLUMN user_id               BIGINT       NOT NULL DEFAULT 0,   -- the supplier system's platform user (token uid)
    ADD COLUMN version               BIGINT       NOT NULL DEFAULT 0;
ALTER TABLE supplier ADD CONSTRAINT supplier_sync_mode_check CHECK (sync_mode IN ('push', 'pull', 'both'));
ALTER TABLE supplier ADD CONSTRAINT supplier_pull_needs_endpoint
    CHECK (sync_mode = 'push' OR (endpoint_url IS NOT NULL AND pull_interval_seconds IS NOT NULL));

UPDATE supplier SET adapter = 'hotel', category_ids = '{2100}', enabled = FALSE WHERE supplier_code = 'HOTEL_100001';
UPDATE supplier SET adapter = 'movie', category_ids = '{3100}' WHERE supplier_code = 'MOVIE_100002';
UPDATE supplier SET adapter = 'deal_feed', category_ids = '{1200}', enabled = FALSE WHERE supplier_code = 'DEAL_100003';

-- The supplier systems of the identity issue (Keycloak clients supplier-cinema / -hotel / -deals,
-- claim supplier_code). Their credentials live in Keycloak; the registry names the client only.
INSERT INTO supplier (supplier_code, supplier_name, category_code, sync_mode, push_topic, adapter, category_ids, shop_id, credential_ref, user_id) VALUES
 ('CINEMA_ONE', 'Cinema One (movie sessions, push)', 'MOVIE', 'push', 'supplier.movie.updates', 'movie', '{3100}', 1, 'keycloak:client/supplier-cinema', 910001),
 ('HOTEL_ONE', 'Hotel One (hotel calendars)', 'HOTEL', 'push', 'supplier.hotel.updates', 'hotel', '{2100}', 1, 'keycloak:client/supplier-hotel', 910002),
 ('DEALS_ONE', 'Deals One (daily voucher feed)', 'DEAL', 'push', NULL, 'deal_feed', '{1200}', 1, 'keycloak:client/supplier-deals', 910003);
INSERT INTO supplier_sync_state (supplier_code) VALUES ('CINEMA_ONE'), ('HOTEL_ONE'), ('DEALS_ONE');

-- Where a pull stands: the watermark it resumes from and the page cursor inside the current
-- pull (committed per page), back-off after failures, a manual "pull now", counters and lag.
ALTER TABLE supplier_sync_state
    ADD COLUMN page_cursor        TEXT,
    ADD COLUMN pull_watermark     TEXT,
    ADD COLUMN next_pull_at       TIMESTAMPTZ,
    ADD COLUMN pull_requested_at  TIMESTAMPTZ,
    ADD COLUMN received_count     BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN applied_count      BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN ignored_count      BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN failed_count       BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN last_record_at     TIMESTAMPTZ,
    ADD COLUMN last_lag_seconds   DOUBLE PRECISION;

-- Every item a supplier feeds: its listing task and catalogue item, the newest accepted
-- version (a duplicate or older update is ignored), what was applied, the latest record (kept
-- while the task is not yet online), and per-item status and failures.
CREATE TABLE supplier_item (
    supplier_code        VARCHAR(64)  NOT NULL REFERENCES supplier (supplier_code) ON DELETE CASCADE,
    external_id          VARCHAR(200) NOT NULL,
    category_id          BIGINT       NOT NULL,
    task_id              BIGINT,
    item_id              BIGINT,
    last_version         BIGINT       NOT NULL,
    applied_version      BIGINT       NOT NULL DEFAULT -1,
    status               VARCHAR(16)  NOT NULL,  -- pending (task not online yet) / synced / offline / failed
    record               JSONB        NOT NULL,  -- the newest accepted record, mapped (raw snapshot)
    applied              JSONB,                  -- the record as last applied to the catalogue (prices, stock, status)
    expires_at           TIMESTAMPTZ,            -- session start / last calendar night: cleaned after it
    last_synced_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    consecutive_failures INT          NOT NULL DEFAULT 0,
    last_error           TEXT,
    PRIMARY KEY (supplier_code, external_id)
);
CREATE INDEX supplier_item_pending ON supplier_item (supplier_code) WHERE status = 'pending';
CREATE INDEX supplier_item_expires ON supplier_item (expires_at) WHERE status <> 'offline';

-- Records that could not be applied, with their reason (push, Kafka or pull).
CREATE TABLE supplier_sync_failure (
    id            BIGSERIAL    PRIMARY KEY,
    supplier_code VARCHAR(64)  NOT NULL,
    channel       VARCHAR(8)   NOT NULL,      -- grpc / kafka / pull
    external_id   VARCHAR(200),
    version       BIGINT,
    reason_code   VARCHAR(64)  NOT NULL,
    reason        TEXT         NOT NULL,
    payload       TEXT,
    occurred_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX supplier_sync_failure_recent ON supplier_sync_failure (supplier_code, occurred_at DESC);
