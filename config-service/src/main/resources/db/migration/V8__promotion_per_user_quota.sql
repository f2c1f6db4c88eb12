-- A promotion's limit per user (main seed 4.3.2: "each user at most N"), beside the total quota.
-- NULL: no per-user limit. The read side shows both, so the storefront can tell a user what is left.
ALTER TABLE promotion
    ADD COLUMN per_user_quota BIGINT CHECK (per_user_quota IS NULL OR per_user_quota > 0),
    ADD CONSTRAINT promotion_per_user_within_total CHECK (per_user_quota IS NULL OR quota IS NULL OR per_user_quota <= quota);
