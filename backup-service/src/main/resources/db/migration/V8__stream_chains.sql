-- A streamed target's chains: one base backup (its id), the logical replication slot created with the
-- snapshot the base was taken in, and how far the change segments after it are durable in the bucket.
CREATE TABLE stream_chain (
    id UUID PRIMARY KEY,
    target TEXT NOT NULL,
    slot_name TEXT NOT NULL,
    phase TEXT NOT NULL,
    consistent_lsn BIGINT,
    -- The database's clock right after the slot's snapshot: every commit before it is in the base.
    cover_from TIMESTAMPTZ,
    -- The tables' shapes in the base's snapshot (JSON): a change of shape in the stream is a schema change.
    base_schema TEXT,
    durable_commit_lsn BIGINT,
    durable_end_lsn BIGINT,
    durable_commit_time TIMESTAMPTZ,
    segments INT NOT NULL DEFAULT 0,
    -- The WAL the slot keeps on the server, as last measured.
    retained_wal_bytes BIGINT,
    retained_checked_at TIMESTAMPTZ,
    end_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX stream_chain_target ON stream_chain (target, phase);

-- The segments of each chain durable in the bucket (a cache of their manifests there).
CREATE TABLE stream_segment (
    chain_id UUID NOT NULL REFERENCES stream_chain (id),
    first_lsn BIGINT NOT NULL,
    last_lsn BIGINT NOT NULL,
    end_lsn BIGINT NOT NULL,
    first_commit_time TIMESTAMPTZ NOT NULL,
    last_commit_time TIMESTAMPTZ NOT NULL,
    transactions INT NOT NULL,
    row_changes BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    object_key TEXT NOT NULL,
    manifest_key TEXT NOT NULL,
    PRIMARY KEY (chain_id, first_lsn)
);

-- A streamed target whose stream was stopped to protect its server (its slot kept too much WAL): its
-- backups are plain dumps until an operator turns streaming on again.
CREATE TABLE stream_target (
    target TEXT PRIMARY KEY,
    disabled_at TIMESTAMPTZ NOT NULL,
    disabled_reason TEXT NOT NULL
);

-- The alerts of streamed targets.
ALTER TABLE alert_episode DROP CONSTRAINT alert_episode_problem_check;
ALTER TABLE alert_episode ADD CONSTRAINT alert_episode_problem_check CHECK (problem IN ('rpo-breach', 'backup-failed',
    'verification-failed', 'drill-failed', 'stream-wal-warning', 'stream-stopped'));
