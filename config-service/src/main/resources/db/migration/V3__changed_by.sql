-- Who changed a configuration row (README "Identity and access"): the platform user id from the
-- caller's verified token, never from a request body. NULL on the rows the migrations seeded.
-- The role, IP and device of the change travel with the request's access log; the id here is
-- what an investigation of "who switched moderation off" starts from.
ALTER TABLE category ADD COLUMN created_by BIGINT, ADD COLUMN updated_by BIGINT;
ALTER TABLE category_attribute ADD COLUMN created_by BIGINT, ADD COLUMN updated_by BIGINT;
ALTER TABLE listing_audit_config ADD COLUMN created_by BIGINT, ADD COLUMN updated_by BIGINT;
