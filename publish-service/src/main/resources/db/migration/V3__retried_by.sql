-- Who retried a saga (README "Identity and access"): the platform user id and role from the
-- caller's verified token, set with each retry; NULL for a saga nobody retried.
ALTER TABLE publish_saga
    ADD COLUMN retried_by      BIGINT,
    ADD COLUMN retried_by_type VARCHAR(32),
    ADD COLUMN retried_at      TIMESTAMPTZ;
