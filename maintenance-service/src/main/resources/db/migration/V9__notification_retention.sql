-- Notifications no longer grow without bound: DataCleanupWorker deletes rows whose column in
-- soft_delete_table is older than its retention, and these two tables join the list.
--  * role_notification: a role's notice is copied to a user's inbox only within
--    marketops.notifications.role-window (30 days), so after 90 days nobody can still need it.
--  * notification: a user's notice that was read half a year ago (read_at; unread ones stay).
INSERT INTO soft_delete_table (table_schema, table_name, deleted_column, retention_days) VALUES
    ('maintenance', 'role_notification', 'created_at', 90),
    ('maintenance', 'notification', 'read_at', 180)
ON CONFLICT (table_schema, table_name) DO NOTHING;
