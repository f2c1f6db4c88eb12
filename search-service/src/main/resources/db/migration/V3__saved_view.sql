-- Saved views of the operators' product list (issue 16): a filter (the search's query
-- parameters as a JSON object), the grid's columns and its sort, kept per user. A shared view
-- is seen by everyone of the owner's audience: staff views by staff (owner_shop NULL), a
-- merchant's by the users of the same shop; only the owner changes or deletes it.
CREATE TABLE saved_view (
    view_id     BIGINT PRIMARY KEY,
    owner_id    BIGINT      NOT NULL,
    owner_shop  BIGINT,
    name        TEXT        NOT NULL,
    filter      JSONB       NOT NULL DEFAULT '{}',
    columns     JSONB       NOT NULL DEFAULT '[]',
    sort        TEXT,
    shared      BOOLEAN     NOT NULL DEFAULT false,
    version     BIGINT      NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Names are unique per owner, ignoring case ("Low stock" and "low stock" would confuse the menu).
CREATE UNIQUE INDEX saved_view_owner_name ON saved_view (owner_id, lower(name));
CREATE INDEX saved_view_shared ON saved_view (owner_shop) WHERE shared;
