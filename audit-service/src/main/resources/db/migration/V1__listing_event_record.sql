-- The lifecycle history of every listing task as audit-service saw it on listing.lifecycle,
-- with the category name resolved from config-service at the time of the event.
CREATE TABLE listing_event_record (
    event_id      VARCHAR(64)  PRIMARY KEY,
    task_id       BIGINT       NOT NULL,
    task_code     VARCHAR(64),
    event_type    VARCHAR(50)  NOT NULL,
    category_id   BIGINT       NOT NULL,
    category_name VARCHAR(255),
    source_type   VARCHAR(50),
    from_status   SMALLINT,
    to_status     SMALLINT     NOT NULL,
    action        VARCHAR(50),
    event_time    TIMESTAMPTZ  NOT NULL,
    recorded_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX listing_event_record_task ON listing_event_record (task_id, event_time);
