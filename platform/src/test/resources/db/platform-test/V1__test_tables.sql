CREATE TABLE applied_change (
    id      BIGSERIAL PRIMARY KEY,
    payload TEXT NOT NULL
);
