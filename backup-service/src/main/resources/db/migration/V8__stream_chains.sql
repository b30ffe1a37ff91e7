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
