-- Notices for everyone in a role (issue 13): a watchdog escalation to the operators, a supplier's
-- failing sync to the supplier admins. Stored once per role; a user of the role gets their own
-- notification row (read state and all) when they next open their inbox, for notices of the last
-- marketops.notifications.role-window (30 days).
CREATE TABLE role_notification (
    id           BIGSERIAL    PRIMARY KEY,
    role         VARCHAR(32)  NOT NULL,
    kind         VARCHAR(48)  NOT NULL,              -- listing.escalated / supplier.sync_failed
    title        VARCHAR(300) NOT NULL,
    body         TEXT,
    subject_type VARCHAR(32)  NOT NULL,              -- listing_task / supplier
    subject_id   BIGINT       NOT NULL DEFAULT 0,
    subject_ref  VARCHAR(64),                        -- a subject named by code (a supplier), not by id
    event_id     VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (event_id, role)
);
CREATE INDEX role_notification_recent ON role_notification (role, created_at DESC);

ALTER TABLE notification ADD COLUMN subject_ref VARCHAR(64);
