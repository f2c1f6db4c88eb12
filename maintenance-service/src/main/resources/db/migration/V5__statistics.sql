-- StatisticsWorker (issue 13): business figures per hour and per day, for the dashboard REST.
-- dimensions holds what the figure is broken down by (e.g. {"category_id": "12", "status": "3"}).
CREATE TABLE statistic (
    granularity VARCHAR(4)       NOT NULL CHECK (granularity IN ('hour', 'day')),
    bucket      TIMESTAMPTZ      NOT NULL,               -- the hour's or the UTC day's start
    metric      VARCHAR(64)      NOT NULL,
    dimensions  JSONB            NOT NULL DEFAULT '{}'::jsonb,
    value       DOUBLE PRECISION NOT NULL,
    computed_at TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (granularity, metric, bucket, dimensions)
);
CREATE INDEX statistic_bucket ON statistic (granularity, bucket DESC);
