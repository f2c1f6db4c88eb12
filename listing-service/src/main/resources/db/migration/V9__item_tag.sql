-- Item-tag relations (main seed 4.6.2): which items carry which code of config-service's tag table,
-- with the item's category, so that "the items of tag X (in category Y)" is an index read. item.tags
-- stays the item's ordered list (reads, product history); ItemTags keeps this table equal to it in
-- the transaction of every tag change. No foreign key to the tag table: it is config-service's.
CREATE TABLE item_tag (
    item_id      BIGINT       NOT NULL REFERENCES item (item_id) ON DELETE CASCADE,
    tag_code     VARCHAR(100) NOT NULL,
    category_id  BIGINT       NOT NULL,
    added_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    added_by     BIGINT,                                   -- null: migrated from free-text tags, or no operator
    PRIMARY KEY (item_id, tag_code)
);
CREATE INDEX item_tag_code_category ON item_tag (tag_code, category_id, item_id);

-- The free-text tags items carry so far become relations (one statement; added_at: the item's last change).
INSERT INTO item_tag (item_id, tag_code, category_id, added_at)
SELECT i.item_id, x.tag_code, i.category_id, i.updated_at
FROM item i CROSS JOIN LATERAL unnest(i.tags) AS x(tag_code)
ON CONFLICT (item_id, tag_code) DO NOTHING;
