-- Backups: the job (phase state machine) and, once SUCCEEDED, the cached manifest (the catalog).
CREATE TABLE backup (
    id               UUID PRIMARY KEY,
    target           TEXT        NOT NULL,
    kind             TEXT        NOT NULL,
    format           TEXT        NOT NULL,
    compression      TEXT        NOT NULL,
    jobs             INTEGER     NOT NULL DEFAULT 1,
    phase            TEXT        NOT NULL CHECK (phase IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    reason           TEXT,
    requested_by     TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    failure_reason   TEXT,
    failure_category TEXT,
    bucket           TEXT,
    object_key       TEXT UNIQUE,
    manifest_key     TEXT UNIQUE,
    upload_id        TEXT,
    size_bytes       BIGINT,
    sha256           TEXT,
    server_version   TEXT,
    pg_dump_version  TEXT,
    table_rows       JSONB,
    retention_class  TEXT,
    expires_at       TIMESTAMPTZ,
    restore_command  TEXT
);

-- One backup per target at a time, whichever replica asks.
CREATE UNIQUE INDEX backup_one_active_per_target ON backup (target) WHERE phase IN ('PENDING', 'RUNNING');
CREATE INDEX backup_target_created_idx ON backup (target, created_at DESC);
CREATE INDEX backup_created_idx ON backup (created_at DESC);
-- Failed backups whose multipart upload could not be aborted yet.
CREATE INDEX backup_pending_abort_idx ON backup (id) WHERE upload_id IS NOT NULL AND phase = 'FAILED';
