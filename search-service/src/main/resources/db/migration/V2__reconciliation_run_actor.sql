-- Who started a manual run (README "Identity and access": every write records the
-- authenticated user). Cron runs have none: started_by stays NULL, started_by_role 'system'.
ALTER TABLE reconciliation_run ADD COLUMN started_by BIGINT;
ALTER TABLE reconciliation_run ADD COLUMN started_by_role TEXT NOT NULL DEFAULT 'system';
ALTER TABLE reconciliation_run ADD COLUMN client_ip TEXT;
ALTER TABLE reconciliation_run ADD COLUMN user_agent TEXT;
