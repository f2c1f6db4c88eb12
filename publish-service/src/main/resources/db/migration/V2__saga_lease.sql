-- The saga runner (PublishWorker / BatchPublishWorker / SagaRecovery). A runner holds a lease on
-- each saga it drives and renews it at every step attempt; a saga in started/compensating whose
-- lease expired belongs to a crashed or stuck runner and is claimed again (FOR UPDATE SKIP LOCKED).
ALTER TABLE publish_saga
    ADD COLUMN batch_id        BIGINT,                -- the listing batch, for sagas from listing.batch.audited
    ADD COLUMN lease_owner     VARCHAR(128),
    ADD COLUMN lease_until     TIMESTAMPTZ,
    -- While compensating: the step number (1-based) to undo next, counting down; 0 when every
    -- step is undone and only the task's publish_failed mark is left.
    ADD COLUMN compensate_next INT;

CREATE INDEX publish_saga_recoverable ON publish_saga (lease_until)
    WHERE status IN ('started', 'compensating');
CREATE INDEX publish_saga_batch ON publish_saga (batch_id) WHERE batch_id IS NOT NULL;
