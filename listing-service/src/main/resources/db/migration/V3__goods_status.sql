-- Goods status changes and their side effects (seed 004).

-- Every status change of an item: the operation log (seed 004, common effect b).
CREATE TABLE goods_status_log (
    id             BIGSERIAL    PRIMARY KEY,
    item_id        BIGINT       NOT NULL,
    from_status    VARCHAR(20)  NOT NULL,
    to_status      VARCHAR(20)  NOT NULL,
    operator_type  VARCHAR(20)  NOT NULL,
    operator_id    BIGINT       NOT NULL DEFAULT 0,
    reason         VARCHAR(500),
    request_id     VARCHAR(128),
    changed_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX goods_status_log_item ON goods_status_log (item_id, id);

-- Showcase (shop window) links of an item; removed logically on offline / delete / risk control.
CREATE TABLE showcase_link (
    showcase_id  BIGINT       NOT NULL,
    item_id      BIGINT       NOT NULL,
    shop_id      BIGINT       NOT NULL,
    position     INT          NOT NULL DEFAULT 0,
    deleted_at   TIMESTAMPTZ,
    PRIMARY KEY (showcase_id, item_id)
);
CREATE INDEX showcase_link_item ON showcase_link (item_id) WHERE deleted_at IS NULL;

-- Extra (display) categories an item is linked to; removed on delete, not for risk control.
CREATE TABLE category_link (
    item_id      BIGINT       NOT NULL,
    category_id  BIGINT       NOT NULL,
    deleted_at   TIMESTAMPTZ,
    PRIMARY KEY (item_id, category_id)
);

-- Campaigns (presale activities) and the items taking part.
CREATE TABLE campaign (
    campaign_id  BIGINT       PRIMARY KEY,
    name         VARCHAR(255) NOT NULL,
    presale      BOOLEAN      NOT NULL DEFAULT FALSE,
    starts_at    TIMESTAMPTZ  NOT NULL,
    ends_at      TIMESTAMPTZ  NOT NULL
);

CREATE TABLE campaign_item (
    campaign_id  BIGINT       NOT NULL REFERENCES campaign (campaign_id),
    item_id      BIGINT       NOT NULL,
    presale      BOOLEAN      NOT NULL DEFAULT FALSE,     -- the item's presale attribute in this campaign
    status       VARCHAR(20)  NOT NULL DEFAULT 'active',  -- active / left
    left_at      TIMESTAMPTZ,
    left_reason  VARCHAR(200),
    PRIMARY KEY (campaign_id, item_id)
);
CREATE INDEX campaign_item_item ON campaign_item (item_id) WHERE status = 'active';

-- Each side effect applied for a status event, so a redelivered event applies nothing twice.
CREATE TABLE goods_side_effect (
    event_id    VARCHAR(64)  NOT NULL,
    effect      VARCHAR(40)  NOT NULL,
    item_id     BIGINT       NOT NULL,
    rows_changed INT         NOT NULL DEFAULT 0,
    applied_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, effect)
);
CREATE INDEX goods_side_effect_item ON goods_side_effect (item_id);

-- A shop-level status change (seed 004): accepted once per request id, expanded into goods
-- chunks by ShopStatusWorker; the cursor lets a restarted worker continue where it stopped.
CREATE TABLE shop_status_request (
    request_id     VARCHAR(128) PRIMARY KEY,
    shop_id        BIGINT       NOT NULL,
    target_status  VARCHAR(20)  NOT NULL,
    operator_type  VARCHAR(20)  NOT NULL,
    operator_id    BIGINT       NOT NULL DEFAULT 0,
    reason         VARCHAR(500),
    status         VARCHAR(20)  NOT NULL DEFAULT 'accepted',   -- accepted / running / done
    total          BIGINT       NOT NULL DEFAULT 0,            -- non-deleted goods of the shop at acceptance
    processed      BIGINT       NOT NULL DEFAULT 0,
    changed        BIGINT       NOT NULL DEFAULT 0,
    skipped        BIGINT       NOT NULL DEFAULT 0,            -- goods a rule kept (e.g. risk control)
    chunks         INT          NOT NULL DEFAULT 0,
    last_item_id   BIGINT       NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at    TIMESTAMPTZ
);
CREATE INDEX shop_status_request_open ON shop_status_request (updated_at) WHERE status <> 'done';
