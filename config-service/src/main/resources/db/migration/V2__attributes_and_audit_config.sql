-- Category attributes (main seed 4.5.2): the fields a category's listings carry and the rules
-- that validate them. A new category is onboarded by rows here, not by code (seed 11.2).
CREATE TABLE category_attribute (
    attribute_id    BIGSERIAL    PRIMARY KEY,
    category_id     BIGINT       NOT NULL REFERENCES category (category_id),
    attribute_code  VARCHAR(100) NOT NULL,
    attribute_name  VARCHAR(255) NOT NULL,
    attribute_type  VARCHAR(20)  NOT NULL
        CHECK (attribute_type IN ('text', 'number', 'integer', 'decimal', 'datetime', 'date', 'enum', 'bool', 'json')),
    is_required     BOOLEAN      NOT NULL DEFAULT FALSE,
    default_value   VARCHAR(500),
    -- Array of strings, present exactly when the type is enum.
    enum_values     JSONB CHECK (enum_values IS NULL OR jsonb_typeof(enum_values) = 'array'),
    -- maxLength/minLength/pattern (text), min/max (numbers; "now" or an ISO instant for datetime/date), maxItems (json).
    validation_rule JSONB CHECK (validation_rule IS NULL OR jsonb_typeof(validation_rule) = 'object'),
    sort_order      INT          NOT NULL DEFAULT 0,
    description     TEXT,
    is_active       BOOLEAN      NOT NULL DEFAULT TRUE,
    version         BIGINT       NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT category_attribute_code_unique UNIQUE (category_id, attribute_code),
    CONSTRAINT category_attribute_enum_values CHECK ((attribute_type = 'enum') = (enum_values IS NOT NULL))
);

-- Audit strategy per category x data source x user type (main seed 3.3.5). The seed's
-- skip_audit/fast_track/require_manual flags are left out: they only restate audit_strategy.
CREATE TABLE listing_audit_config (
    config_id               BIGSERIAL   PRIMARY KEY,
    category_id             BIGINT      NOT NULL REFERENCES category (category_id),
    source_type             VARCHAR(32) NOT NULL CHECK (source_type IN
        ('operator_form', 'merchant_portal', 'merchant_app', 'excel_batch', 'supplier_push', 'supplier_pull', 'api')),
    -- NULL: the row applies to any user type of that source.
    source_user_type        VARCHAR(32) CHECK (source_user_type IN ('operator', 'merchant', 'system')),
    audit_strategy          VARCHAR(20) NOT NULL CHECK (audit_strategy IN ('skip', 'auto', 'fast_track', 'manual')),
    validation_rules        JSONB       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(validation_rules) = 'object'),
    auto_approve_conditions JSONB       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(auto_approve_conditions) = 'object'),
    is_active               BOOLEAN     NOT NULL DEFAULT TRUE,
    version                 BIGINT      NOT NULL DEFAULT 0,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A plain UNIQUE would let (category, source, NULL) repeat, since NULLs are distinct.
CREATE UNIQUE INDEX listing_audit_config_key
    ON listing_audit_config (category_id, source_type, COALESCE(source_user_type, ''));

-- Attributes of the seven categories of seed 1.2.1, after the seed's examples in 4.5.2.
-- Per-category range rules (TopUp denominations 10..500 and the like) live in validation_rule.
INSERT INTO category_attribute (category_id, attribute_code, attribute_name, attribute_type, is_required, enum_values, validation_rule, sort_order, description) VALUES
 (1200, 'face_value',        'Face value',          'decimal',  TRUE,  NULL, '{"min": 0.01}', 1, NULL),
 (1200, 'sale_price',        'Sale price',          'decimal',  TRUE,  NULL, '{"min": 0.01}', 2, NULL),
 (1200, 'valid_days',        'Valid days',          'integer',  TRUE,  NULL, '{"min": 1, "max": 3650}', 3, NULL),
 (1200, 'applicable_stores', 'Applicable stores',   'json',     FALSE, NULL, NULL, 4, 'Array of store ids or names'),

 (1300, 'service_name',      'Service name',        'text',     TRUE,  NULL, '{"maxLength": 200}', 1, NULL),
 (1300, 'price',             'Price',               'decimal',  TRUE,  NULL, '{"min": 0.01}', 2, NULL),
 (1300, 'quantity',          'Quantity',            'integer',  TRUE,  NULL, '{"min": 0}', 3, 'Stock counted per platform'),
 (1300, 'valid_days',        'Valid days',          'integer',  TRUE,  NULL, '{"min": 1, "max": 3650}', 4, NULL),

 (1400, 'bundle_price',      'Bundle price',        'decimal',  TRUE,  NULL, '{"min": 0.01}', 1, NULL),
 (1400, 'sub_items',         'Sub-items',           'json',     TRUE,  NULL, '{"maxItems": 20}', 2, 'Array of {itemId, quantity, price}'),
 (1400, 'valid_days',        'Valid days',          'integer',  TRUE,  NULL, '{"min": 1, "max": 3650}', 3, NULL),

 (2100, 'star_rating',       'Star rating',         'enum',     TRUE,  '["3-star", "4-star", "5-star"]', NULL, 1, NULL),
 (2100, 'breakfast_type',    'Breakfast',           'enum',     FALSE, '["none", "single", "double"]', NULL, 2, NULL),
 (2100, 'guest_capacity',    'Guest capacity',      'integer',  TRUE,  NULL, '{"min": 1, "max": 10}', 3, NULL),
 (2100, 'bed_type',          'Bed type',            'enum',     TRUE,  '["king", "twin", "triple"]', NULL, 4, NULL),
 (2100, 'price_calendar',    'Price calendar',      'json',     TRUE,  NULL, '{"maxItems": 366}', 5, 'Array of {date, price, stock}, one per night'),

 (3100, 'movie_name',        'Movie name',          'text',     TRUE,  NULL, '{"maxLength": 200}', 1, NULL),
 (3100, 'show_time',         'Show time',           'datetime', TRUE,  NULL, '{"min": "now"}', 2, 'A session in the past cannot be listed'),
 (3100, 'cinema_name',       'Cinema name',         'text',     TRUE,  NULL, '{"maxLength": 200}', 3, NULL),
 (3100, 'ticket_type',       'Ticket type',         'enum',     TRUE,  '["standard", "student", "IMAX", "3D"]', NULL, 4, NULL),
 (3100, 'hall',              'Hall',                'text',     FALSE, NULL, '{"maxLength": 50}', 5, NULL),
 (3100, 'seats',             'Seats',               'json',     FALSE, NULL, NULL, 6, 'Array of seat numbers'),

 (4100, 'carrier',           'Carrier',             'enum',     TRUE,  '["China Mobile", "China Unicom", "China Telecom"]', NULL, 1, NULL),
 (4100, 'denomination',      'Denomination',        'integer',  TRUE,  NULL, '{"min": 10, "max": 500}', 2, 'Denomination range check of seed 1.2.1'),
 (4100, 'sale_price',        'Sale price',          'decimal',  TRUE,  NULL, '{"min": 0.01}', 3, NULL),

 (4200, 'face_value',        'Face value',          'decimal',  TRUE,  NULL, '{"min": 0.01}', 1, NULL),
 (4200, 'sale_price',        'Sale price',          'decimal',  TRUE,  NULL, '{"min": 0.01}', 2, NULL),
 (4200, 'card_type',         'Card type',           'enum',     TRUE,  '["generated", "prebought"]', NULL, 3, 'Generated in real time or pre-bought codes');

-- Seed 3.3.5's sample rows mapped to our ids, plus a row for every other source that feeds
-- each category (seed 1.2.1 / 1.2.2), so none of the seven relies on the defaults.
INSERT INTO listing_audit_config (category_id, source_type, source_user_type, audit_strategy) VALUES
 (1200, 'operator_form',   'operator', 'skip'),
 (1200, 'merchant_portal', 'merchant', 'manual'),
 (1200, 'supplier_pull',   'system',   'fast_track'),
 (1200, 'excel_batch',     'operator', 'skip'),
 (1300, 'operator_form',   'operator', 'skip'),
 (1300, 'merchant_portal', 'merchant', 'manual'),
 (1300, 'merchant_app',    'merchant', 'manual'),
 (1300, 'excel_batch',     'operator', 'skip'),
 (1400, 'merchant_portal', 'merchant', 'manual'),
 (1400, 'operator_form',   'operator', 'skip'),
 (2100, 'supplier_pull',   'system',   'fast_track'),
 (2100, 'operator_form',   'operator', 'skip'),
 (2100, 'api',             NULL,       'auto'),
 (2100, 'excel_batch',     'operator', 'skip'),
 (3100, 'supplier_push',   'system',   'fast_track'),
 (3100, 'operator_form',   'operator', 'skip'),
 (4100, 'operator_form',   'operator', 'skip'),
 (4100, 'excel_batch',     'operator', 'skip'),
 (4200, 'operator_form',   'operator', 'skip'),
 (4200, 'merchant_app',    'merchant', 'manual'),
 (4200, 'excel_batch',     'operator', 'skip');
