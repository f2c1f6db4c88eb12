-- Supplier registry (main seed 3.4.3-3.5): push suppliers send changes to a Kafka topic,
-- pull suppliers are polled for the changes since the last watermark.
-- category_code names a config-service category (no cross-schema foreign key by design).
CREATE TABLE supplier (
    supplier_code         VARCHAR(64)  PRIMARY KEY,
    supplier_name         VARCHAR(255) NOT NULL,
    category_code         VARCHAR(100) NOT NULL,
    sync_mode             VARCHAR(8)   NOT NULL CHECK (sync_mode IN ('push', 'pull')),
    endpoint_url          VARCHAR(500),                 -- pull: the supplier's change API
    push_topic            VARCHAR(200),                 -- push: the topic the supplier writes to
    pull_interval_seconds INT          CHECK (pull_interval_seconds > 0),
    enabled               BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- a pull supplier without an endpoint and interval, or a push one without a topic, could never sync
    CHECK (sync_mode <> 'pull' OR (endpoint_url IS NOT NULL AND pull_interval_seconds IS NOT NULL)),
    CHECK (sync_mode <> 'push' OR push_topic IS NOT NULL)
);
CREATE INDEX supplier_category ON supplier (category_code);

-- Where each supplier's sync stands (seed 3.5.3). The watermark is opaque to the registry:
-- the pull "since" time, or the last change id the supplier handed out.
CREATE TABLE supplier_sync_state (
    supplier_code        VARCHAR(64)  PRIMARY KEY REFERENCES supplier (supplier_code) ON DELETE CASCADE,
    watermark            TEXT,
    last_success_at      TIMESTAMPTZ,
    last_attempt_at      TIMESTAMPTZ,
    sync_count           BIGINT       NOT NULL DEFAULT 0,
    consecutive_failures INT          NOT NULL DEFAULT 0,
    last_error           TEXT,
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The seed's two strategies (3.5.4: hotel 100001 pulled hourly, movie 100002 pushed) and the
-- e-voucher hybrid of 3.5.2 (changes pushed, plus a daily full pull to reconcile).
INSERT INTO supplier (supplier_code, supplier_name, category_code, sync_mode, endpoint_url, push_topic, pull_interval_seconds) VALUES
 ('HOTEL_100001', 'Hotel supplier (hourly pull)',  'HOTEL', 'pull', 'https://hotel-supplier.example.com/api/hotels/changes', NULL, 3600),
 ('MOVIE_100002', 'Movie ticket supplier (push)',  'MOVIE', 'push', NULL, 'supplier.movie.updates', NULL),
 ('DEAL_100003',  'E-voucher supplier (daily reconciliation pull)', 'DEAL', 'pull', 'https://voucher-supplier.example.com/api/vouchers/changes', NULL, 86400);
INSERT INTO supplier_sync_state (supplier_code) SELECT supplier_code FROM supplier;
