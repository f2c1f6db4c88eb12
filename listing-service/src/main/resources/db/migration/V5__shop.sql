-- The shops goods belong to. Which shop an item is in is a fact recorded with its listing task
-- (a merchant's listing: the merchant's own shop from its token; an operator's or a supplier
-- service's: the shop it names, checked against this table), never guessed from who created it.
CREATE TABLE shop (
    shop_id     BIGINT       PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    merchant_id BIGINT,                                  -- the merchant that runs it; NULL: the platform's own shop
    status      VARCHAR(20)  NOT NULL DEFAULT 'active',
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
INSERT INTO shop (shop_id, name, merchant_id) VALUES
    (1, 'Platform shop', NULL),
    (1001, 'Harbour Deals', 1001),
    (1002, 'City Stays', 1002);

-- The shop of each task; the catalogue's item takes it from here.
ALTER TABLE listing_task ADD COLUMN shop_id BIGINT;
-- Tasks from before: a merchant's task was already tied to its merchant (= its shop).
UPDATE listing_task SET shop_id = merchant_id WHERE merchant_id IS NOT NULL;
CREATE INDEX listing_task_shop_created ON listing_task (shop_id, created_at DESC);

-- Who acted, beyond the user id: the role's client IP and device of a REST change.
ALTER TABLE listing_state_history ADD COLUMN client_ip VARCHAR(64);
ALTER TABLE listing_state_history ADD COLUMN user_agent VARCHAR(300);
