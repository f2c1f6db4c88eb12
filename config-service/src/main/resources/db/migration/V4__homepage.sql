-- Homepage Entrances and Groups (main seed 4.6.1). A group is one slot of the storefront's
-- homepage for one target (region x platform x environment); its entrances (with the categories,
-- carriers and tags each shows) are edited as a draft and go live only by a publish, which
-- freezes the document as a numbered version with who, when and what changed.
CREATE TABLE homepage_group (
    group_id          BIGINT       PRIMARY KEY,
    group_code        VARCHAR(100) NOT NULL UNIQUE,
    group_name        VARCHAR(255) NOT NULL,
    region            VARCHAR(32)  NOT NULL,
    platform          VARCHAR(16)  NOT NULL CHECK (platform IN ('all', 'app', 'h5', 'mini_program', 'web')),
    environment       VARCHAR(16)  NOT NULL CHECK (environment IN ('prod', 'staging', 'test')),
    -- {"entrances": [...]}: what the next publish will put live.
    draft             JSONB        NOT NULL DEFAULT '{"entrances": []}',
    draft_version     BIGINT       NOT NULL DEFAULT 0,
    -- The number of the live version; 0 before the first publish.
    live_version      INT          NOT NULL DEFAULT 0,
    created_by        BIGINT,
    updated_by        BIGINT,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Every publish and rollback, numbered per group: the frozen document and its diff to the one before.
CREATE TABLE homepage_version (
    group_id       BIGINT      NOT NULL REFERENCES homepage_group (group_id),
    version_no     INT         NOT NULL,
    action         VARCHAR(20) NOT NULL CHECK (action IN ('publish', 'scheduled_publish', 'rollback')),
    -- rollback: the version whose document came back.
    source_version INT,
    document       JSONB       NOT NULL,
    diff           JSONB       NOT NULL,
    published_by   BIGINT,
    published_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, version_no)
);

-- A publish at a set time: the draft as it was when scheduled goes live at publish_at.
CREATE TABLE homepage_schedule (
    schedule_id    BIGSERIAL   PRIMARY KEY,
    group_id       BIGINT      NOT NULL REFERENCES homepage_group (group_id),
    draft_version  BIGINT      NOT NULL,
    document       JSONB       NOT NULL,
    publish_at     TIMESTAMPTZ NOT NULL,
    status         VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'cancelled')),
    version_no     INT,
    created_by     BIGINT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX homepage_schedule_due ON homepage_schedule (publish_at) WHERE status = 'pending';
