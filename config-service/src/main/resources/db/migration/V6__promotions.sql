-- Cross-category promotions (main seed 4.3.2): an activity over category ids (with their subtrees)
-- and/or item ids, for a user type, with a discount, a priority that decides between overlapping
-- activities, a time window and a total quota. The read side (search-service) applies the best one
-- to each item's price while it runs; after ends_at it no longer applies, with no job to undo it.
CREATE TABLE promotion (
    promotion_id   BIGINT        PRIMARY KEY,
    promotion_name VARCHAR(255)  NOT NULL,
    kind           VARCHAR(20)   NOT NULL CHECK (kind IN ('discount', 'full_reduction', 'bundle', 'flash_sale')),
    category_ids   BIGINT[]      NOT NULL DEFAULT '{}',
    item_ids       BIGINT[]      NOT NULL DEFAULT '{}',
    user_type      VARCHAR(8)    NOT NULL DEFAULT 'all' CHECK (user_type IN ('all', 'new', 'vip')),
    discount_type  VARCHAR(12)   NOT NULL CHECK (discount_type IN ('percent', 'amount', 'fixed_price')),
    -- percent: 0 < v < 100 off; amount: off the price (currency units); fixed_price: the price itself.
    discount_value NUMERIC(14,2) NOT NULL CHECK (discount_value > 0),
    priority       INT           NOT NULL DEFAULT 0,
    starts_at      TIMESTAMPTZ   NOT NULL,
    ends_at        TIMESTAMPTZ   NOT NULL,
    quota          BIGINT        CHECK (quota IS NULL OR quota > 0),
    status         VARCHAR(8)    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    version        BIGINT        NOT NULL DEFAULT 0,
    created_by     BIGINT,
    updated_by     BIGINT,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT promotion_window CHECK (ends_at > starts_at),
    CONSTRAINT promotion_scope CHECK (cardinality(category_ids) + cardinality(item_ids) > 0)
);
CREATE INDEX promotion_running ON promotion (ends_at) WHERE status = 'active';
