-- Every record that reached a <topic>.dlq, kept for inspection and replay. The Kafka coordinates
-- are unique, so a redelivered record (after a rebalance or a crash before the offset commit)
-- is stored once.
CREATE TABLE dlq_record (
    id                 BIGSERIAL    PRIMARY KEY,
    topic              VARCHAR(249) NOT NULL,     -- the .dlq topic
    partition          INT          NOT NULL,
    record_offset      BIGINT       NOT NULL,
    msg_key            VARCHAR(200),
    event_id           VARCHAR(64),               -- header event_id (set by the outbox publisher)
    event_type         VARCHAR(64),               -- header event_type
    reason             TEXT,                      -- header dead-letter-reason (SmallRye's DLQ strategy)
    cause              TEXT,                      -- header dead-letter-cause
    original_topic     VARCHAR(249),              -- header dead-letter-topic
    original_partition INT,                       -- header dead-letter-partition
    original_offset    BIGINT,                    -- header dead-letter-offset
    payload            BYTEA,
    received_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    status             VARCHAR(16)  NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'replayed', 'discarded')),
    UNIQUE (topic, partition, record_offset)
);
CREATE INDEX dlq_record_status_topic ON dlq_record (status, topic);
CREATE INDEX dlq_record_event ON dlq_record (event_id);
