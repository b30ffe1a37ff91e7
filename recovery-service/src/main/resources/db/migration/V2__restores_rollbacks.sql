-- Restores: a backup restored into a new database, or in place after a safety backup.
CREATE TABLE restore (
    id                   UUID PRIMARY KEY,
    backup_id            UUID        NOT NULL,
    target               TEXT        NOT NULL,
    destination          TEXT        NOT NULL,
    mode                 TEXT        NOT NULL CHECK (mode IN ('new-database', 'in-place')),
    phase                TEXT        NOT NULL CHECK (phase IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    step                 TEXT,
    requested_by         TEXT        NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    started_at           TIMESTAMPTZ,
    finished_at          TIMESTAMPTZ,
    backup_started_at    TIMESTAMPTZ,
    safety_backup_id     UUID,
    staging_database     TEXT,
    restored_database    TEXT,
    replaced_database    TEXT,
    bytes_read           BIGINT      NOT NULL DEFAULT 0,
    bytes_total          BIGINT,
    tables_restored      INTEGER     NOT NULL DEFAULT 0,
    tables_verified      INTEGER     NOT NULL DEFAULT 0,
    failure_reason       TEXT
);
CREATE UNIQUE INDEX restore_one_active_per_destination ON restore (destination) WHERE phase IN ('PENDING', 'RUNNING');
CREATE INDEX restore_created_idx ON restore (created_at DESC);

-- Rollbacks of Kubernetes Deployments to an earlier revision.
CREATE TABLE rollback (
    id             UUID PRIMARY KEY,
    namespace      TEXT        NOT NULL,
    deployment     TEXT        NOT NULL,
    from_revision  BIGINT,
    to_revision    BIGINT      NOT NULL,
    images         TEXT,
    health_url     TEXT,
    health_status  INTEGER,
    phase          TEXT        NOT NULL CHECK (phase IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    requested_by   TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    failure_reason TEXT
);
CREATE INDEX rollback_created_idx ON rollback (created_at DESC);
