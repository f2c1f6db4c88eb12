-- Kafka coordinates alone do not identify a record for ever: a topic deleted and created again
-- (a new cluster, a test broker) starts its offsets at 0, and such records were dropped as
-- "duplicates". The record's timestamp joins the key; a real redelivery still matches.
ALTER TABLE dlq_record ADD COLUMN record_timestamp TIMESTAMPTZ;
ALTER TABLE dlq_record DROP CONSTRAINT dlq_record_topic_partition_record_offset_key;
CREATE UNIQUE INDEX dlq_record_identity ON dlq_record (topic, partition, record_offset, record_timestamp);
