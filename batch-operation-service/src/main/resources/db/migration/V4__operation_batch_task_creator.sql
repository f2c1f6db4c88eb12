-- Identity and access: a batch runs later, chunk by chunk, on its creator's behalf. The creator's
-- role and shop (merchants) decide what the catalogue lets each chunk touch, so they are stored
-- with the batch (not taken from whoever happens to run the chunk), with the client IP and user
-- agent the upload came from for the audit trail.
ALTER TABLE operation_batch_task
    ADD COLUMN created_by_type     VARCHAR(32),                 -- the creator's role: operator / merchant / admin / ...
    ADD COLUMN created_by_merchant BIGINT,                      -- the merchant's shop for merchant creators, else null
    ADD COLUMN created_ip          VARCHAR(64),
    ADD COLUMN created_user_agent  VARCHAR(512);
-- Batches from before this migration were operators' (the only uploaders then).
UPDATE operation_batch_task SET created_by_type = 'operator' WHERE created_by_type IS NULL;
ALTER TABLE operation_batch_task ALTER COLUMN created_by_type SET DEFAULT 'operator',
                                 ALTER COLUMN created_by_type SET NOT NULL;
CREATE INDEX operation_batch_task_merchant ON operation_batch_task (created_by_merchant, created_at DESC)
    WHERE created_by_merchant IS NOT NULL;
