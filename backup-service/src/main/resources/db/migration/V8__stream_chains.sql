-- A streamed target's chains: one base backup (its id), the logical replication slot created with the
-- snapshot the base was taken in, and how far the change segments after it are durable in the bucket.
CREATE TABLE stream_chain (
    id UUID PRIMARY KEY,
    target TEXT NOT NULL,
    slot_name TEXT NOT NULL,
    phase TEXT NOT NULL,
    consistent_lsn BIGINT,
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
