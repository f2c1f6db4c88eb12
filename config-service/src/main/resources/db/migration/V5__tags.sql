-- The tag table (main seed 4.6.2): cross-category marks such as "Spring festival deal" with a type,
-- an icon and a priority that ranks tagged items in search. Items carry tag codes (listing-service's
-- item tags, written by the tag_batch_add batch operation); this table gives each code its meaning.
CREATE TABLE tag (
    tag_id      BIGINT       PRIMARY KEY,
    tag_code    VARCHAR(100) NOT NULL UNIQUE,
    tag_name    VARCHAR(255) NOT NULL,
    tag_type    VARCHAR(20)  NOT NULL CHECK (tag_type IN ('recommend', 'hot', 'new', 'discount', 'seasonal')),
    icon_url    VARCHAR(500),
    priority    INT          NOT NULL DEFAULT 0,
    is_active   BOOLEAN      NOT NULL DEFAULT TRUE,
    version     BIGINT       NOT NULL DEFAULT 0,
    created_by  BIGINT,
    updated_by  BIGINT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX tag_active_priority ON tag (priority DESC) WHERE is_active;
