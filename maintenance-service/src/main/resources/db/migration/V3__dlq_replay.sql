-- Dead letters are replayed to their original topic or discarded with a reason (issue 12).
-- The original headers travel with a replay (event_id above all: the consumers dedupe by it, so a
-- replayed event that was applied already has no second effect).
ALTER TABLE dlq_record
    ADD COLUMN headers          JSONB,            -- [{"key": ..., "value": base64}], dead-letter-* headers left out
    ADD COLUMN replay_count     INT NOT NULL DEFAULT 0,
    ADD COLUMN last_replayed_at TIMESTAMPTZ,
    ADD COLUMN last_replayed_by BIGINT,
    ADD COLUMN discard_reason   TEXT,
    ADD COLUMN discarded_by     BIGINT,
    ADD COLUMN discarded_at     TIMESTAMPTZ;
CREATE INDEX dlq_record_original_topic ON dlq_record (original_topic, status);
