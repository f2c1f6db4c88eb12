-- Supplier sync figures (issue 13), from supplier-sync-service's events (supplier.sync.applied per
-- page, supplier.sync.failed per stopped pull; each service keeps its own schema): summed per hour
-- of the event's time, supplier and channel. BusinessStatistics turns them into the statistic rows
-- (success rate, lag) per hour and day.
CREATE TABLE supplier_sync_hour (
    hour           TIMESTAMPTZ      NOT NULL,
    supplier_code  VARCHAR(64)      NOT NULL,
    category_code  VARCHAR(64)      NOT NULL DEFAULT '',
    channel        VARCHAR(16)      NOT NULL,            -- grpc / kafka / pull
    pages          BIGINT           NOT NULL DEFAULT 0,
    received       BIGINT           NOT NULL DEFAULT 0,
    applied        BIGINT           NOT NULL DEFAULT 0,
    ignored        BIGINT           NOT NULL DEFAULT 0,
    failed         BIGINT           NOT NULL DEFAULT 0,   -- refused records
    failed_pulls   BIGINT           NOT NULL DEFAULT 0,
    lag_pages      BIGINT           NOT NULL DEFAULT 0,   -- pages whose records carried a change time
    lag_sum        DOUBLE PRECISION NOT NULL DEFAULT 0,
    lag_max        DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, supplier_code, channel)
);
