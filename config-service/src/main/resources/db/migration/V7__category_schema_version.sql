-- Numbered schema versions per category (main seed 4.5.2): every change of one of a category's
-- attributes is a row, with who made it, when, what changed (a diff of the definition) and, for a
-- change that can invalidate online items (made required, enum values removed, type changed),
-- how many online items it affected when it was confirmed. The highest number is the category's
-- current schema version, which a confirmation must name (a stale preview is refused).
CREATE TABLE category_schema_version (
    category_id    BIGINT       NOT NULL REFERENCES category (category_id),
    schema_version INT          NOT NULL CHECK (schema_version > 0),
    attribute_code VARCHAR(100) NOT NULL,
    change_kind    VARCHAR(12)  NOT NULL CHECK (change_kind IN ('created', 'updated', 'deactivated')),
    -- {"field": {"from": ..., "to": ...}} for each field of the definition that changed.
    diff           JSONB        NOT NULL CHECK (jsonb_typeof(diff) = 'object'),
    -- The breaking parts of the change ([{kind, detail}]); empty for a change no item can fail.
    breaking       JSONB        NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(breaking) = 'array'),
    affected_items BIGINT,
    changed_by     BIGINT,
    changed_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (category_id, schema_version)
);
