-- Every audit decision (main seed 3.3.4 listing_audit_log_tab), whoever or whatever made it.
CREATE TABLE listing_audit_log (
    id                 BIGSERIAL    PRIMARY KEY,
    task_id            BIGINT       NOT NULL,
    category_id        BIGINT       NOT NULL,
    source_type        VARCHAR(50)  NOT NULL,
    source_user_type   VARCHAR(50),
    audit_type         VARCHAR(50)  NOT NULL,   -- skip / fast_track / auto / manual
    audit_action       VARCHAR(50)  NOT NULL,   -- approve / reject / queue
    audit_reason       TEXT,
    rules_applied      JSONB,
    rule_results       JSONB,
    strategy_config_id BIGINT,
    auditor_id         BIGINT,
    auditor_type       VARCHAR(20)  NOT NULL,   -- system / auditor
    duration_ms        INT,
    audit_time         TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX listing_audit_log_task ON listing_audit_log (task_id, audit_time);

-- Listings waiting for a person (strategy manual), with the engine's findings attached.
CREATE TABLE manual_review (
    review_id         BIGSERIAL    PRIMARY KEY,
    task_id           BIGINT       NOT NULL,
    task_version      BIGINT       NOT NULL,
    category_id       BIGINT       NOT NULL,
    source_type       VARCHAR(50)  NOT NULL,
    source_user_type  VARCHAR(50),
    title             VARCHAR(255),
    validation_result JSONB,
    status            VARCHAR(20)  NOT NULL DEFAULT 'pending',  -- pending / claimed / approved / rejected
    claimed_by        BIGINT,
    claimed_at        TIMESTAMPTZ,
    decided_by        BIGINT,
    decided_at        TIMESTAMPTZ,
    decision_comment  TEXT,
    submitted_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version           BIGINT       NOT NULL DEFAULT 0
);
-- One open review per submission of a task (a resubmitted task gets a new one).
CREATE UNIQUE INDEX manual_review_task_version ON manual_review (task_id, task_version);
CREATE INDEX manual_review_queue ON manual_review (status, category_id, submitted_at);
