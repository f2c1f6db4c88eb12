-- The catalogue: what an approved listing task becomes when the publish saga runs (main seed
-- 2.x data layer; goods status of seed 004). Written set-based by CatalogCommands.

-- One item per listing task (task_id UNIQUE makes the saga's first step idempotent).
CREATE TABLE item (
    item_id          BIGINT       PRIMARY KEY,                -- snowflake id
    task_id          BIGINT       NOT NULL UNIQUE,
    category_id      BIGINT       NOT NULL,
    shop_id          BIGINT       NOT NULL DEFAULT 0,         -- the task's merchant, else its creator
    title            VARCHAR(255) NOT NULL,
    status           VARCHAR(20)  NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'online', 'offline', 'deleted', 'risk_control')),
    -- Grows with every change of the item, its SKUs, prices, stock, attributes or tags.
    version          BIGINT       NOT NULL DEFAULT 0,
    source_type      VARCHAR(50)  NOT NULL,
    inventory_model  VARCHAR(32)  NOT NULL,                   -- config-service's category.inventory_model
    price_model      VARCHAR(32)  NOT NULL,                   -- config-service's category.price_model
    tags             TEXT[]       NOT NULL DEFAULT '{}',
    -- Publish saga steps done on this item (create_skus, set_attributes, ...): a repeated step
    -- answers ok without writing, a compensation removes its step.
    saga_steps       TEXT[]       NOT NULL DEFAULT '{}',
    first_online_at  TIMESTAMPTZ,                             -- set once
    last_online_at   TIMESTAMPTZ,
    last_offline_at  TIMESTAMPTZ,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX item_shop ON item (shop_id, item_id);
CREATE INDEX item_category_status ON item (category_id, status, item_id);
CREATE INDEX item_status ON item (status, item_id);

CREATE TABLE item_attribute (
    item_id     BIGINT        NOT NULL REFERENCES item (item_id) ON DELETE CASCADE,
    attr_code   VARCHAR(64)   NOT NULL,
    attr_value  VARCHAR(2000) NOT NULL,
    attr_type   VARCHAR(10)   NOT NULL DEFAULT 'text',        -- text: a string as given; json: number, bool, array or object as JSON
    PRIMARY KEY (item_id, attr_code)
);

CREATE TABLE sku (
    sku_id            BIGINT       PRIMARY KEY,
    item_id           BIGINT       NOT NULL REFERENCES item (item_id) ON DELETE CASCADE,
    sku_code          VARCHAR(100) NOT NULL,
    name              VARCHAR(255) NOT NULL,
    status            VARCHAR(20)  NOT NULL DEFAULT 'active',  -- active / inactive / deleted
    sale_price_cents  BIGINT       NOT NULL DEFAULT 0,
    face_value_cents  BIGINT       NOT NULL DEFAULT 0,
    stock             BIGINT       NOT NULL DEFAULT 0,         -- -1 unlimited
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT sku_code_unique UNIQUE (item_id, sku_code)
);

-- Dated prices and stock: one row per night (hotel calendars) or per session (movies).
CREATE TABLE sku_calendar (
    sku_id       BIGINT      NOT NULL REFERENCES sku (sku_id) ON DELETE CASCADE,
    slot         VARCHAR(40) NOT NULL,                       -- ISO date, or the session start as given
    price_cents  BIGINT      NOT NULL DEFAULT 0,
    stock        BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (sku_id, slot)
);

-- The voucher code pool of code_pool SKUs (main seed 4.4).
CREATE TABLE voucher_code (
    id          BIGSERIAL    PRIMARY KEY,
    sku_id      BIGINT       NOT NULL REFERENCES sku (sku_id) ON DELETE CASCADE,
    code        VARCHAR(128) NOT NULL,
    status      VARCHAR(20)  NOT NULL DEFAULT 'available',   -- available / sold / void
    expires_on  DATE,
    batch_id    BIGINT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT voucher_code_unique UNIQUE (sku_id, code)
);
CREATE INDEX voucher_code_available ON voucher_code (sku_id) WHERE status = 'available';

-- A local-life bundle's sub-items.
CREATE TABLE bundle_link (
    bundle_item_id  BIGINT  NOT NULL REFERENCES item (item_id) ON DELETE CASCADE,
    sub_item_id     BIGINT  NOT NULL,
    quantity        INT     NOT NULL DEFAULT 1,
    price_cents     BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (bundle_item_id, sub_item_id)
);
