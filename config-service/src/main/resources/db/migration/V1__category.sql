-- Category tree (main seed 4.5.1) with each category's inventory and price model (1.2.1).
CREATE TABLE category (
    category_id     BIGINT       PRIMARY KEY,
    category_code   VARCHAR(100) NOT NULL UNIQUE,
    category_name   VARCHAR(255) NOT NULL,
    parent_id       BIGINT       NOT NULL DEFAULT 0,
    level           INT          NOT NULL CHECK (level BETWEEN 1 AND 3),
    sort_order      INT          NOT NULL DEFAULT 0,
    inventory_model VARCHAR(32)  NOT NULL DEFAULT 'quantity',
    price_model     VARCHAR(32)  NOT NULL DEFAULT 'fixed',
    description     TEXT,
    is_active       BOOLEAN      NOT NULL DEFAULT TRUE,
    version         BIGINT       NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX category_parent ON category (parent_id);
CREATE INDEX category_level ON category (level);

-- Roots group the seven categories of seed 1.2.1; 1000/1100/1101 are the seed's own sample rows.
INSERT INTO category (category_id, category_code, category_name, parent_id, level, sort_order, inventory_model, price_model, description) VALUES
 (1000, 'LOCAL_LIFE',    'Local life',            0,    1, 1, 'quantity',   'fixed',        'Local services and vouchers'),
 (2000, 'TRAVEL',        'Travel',                0,    1, 2, 'date_based', 'calendar',     'Hotels and stays'),
 (3000, 'ENTERTAINMENT', 'Entertainment',         0,    1, 3, 'seat_based', 'session',      'Tickets for shows and films'),
 (4000, 'VIRTUAL_GOODS', 'Virtual goods',         0,    1, 4, 'unlimited',  'denomination', 'Top-up and gift cards'),
 (1100, 'FOOD',          'Food',                  1000, 2, 1, 'quantity',   'fixed',        NULL),
 (1101, 'HOTPOT',        'Hotpot',                1100, 3, 1, 'quantity',   'fixed',        NULL),
 (1200, 'DEAL',          'E-voucher (Deal)',      1000, 2, 2, 'code_pool',  'face_value',   'One unique code per voucher; code pool imported asynchronously'),
 (1300, 'OPV',           'Service voucher (OPV)', 1000, 2, 3, 'quantity',   'fixed',        'Quantity stock, counted per platform'),
 (1400, 'LOCAL_BUNDLE',  'Local-life bundle',     1000, 2, 4, 'bundle',     'bundle',       'Several sub-items; stock follows the sub-items'),
 (2100, 'HOTEL',         'Hotel',                 2000, 2, 1, 'date_based', 'calendar',     'Room type x date; calendar price'),
 (3100, 'MOVIE',         'Movie ticket',          3000, 2, 1, 'seat_based', 'session',      'Session x seat x ticket type'),
 (4100, 'TOPUP',         'Mobile top-up',         4000, 2, 1, 'unlimited',  'denomination', 'Denominations within a configured range'),
 (4200, 'GIFTCARD',      'Gift card',             4000, 2, 2, 'code_pool',  'face_value',   'Generated or pre-bought card codes');
