-- Retention that deletes: an expired backup's object and manifest leave the bucket and its row
-- stays as EXPIRED (the history); a pin keeps a backup whatever its age.
ALTER TABLE backup DROP CONSTRAINT backup_phase_check;
ALTER TABLE backup ADD CONSTRAINT backup_phase_check
    CHECK (phase IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'EXPIRED'));
ALTER TABLE backup
    ADD COLUMN pinned_at           TIMESTAMPTZ,
    ADD COLUMN pinned_by           TEXT,
    ADD COLUMN pin_reason          TEXT,
    ADD COLUMN expired_at          TIMESTAMPTZ,
    ADD COLUMN expired_by          TEXT,
    ADD COLUMN expired_reason      TEXT,
    ADD COLUMN last_verified_at    TIMESTAMPTZ,
    ADD COLUMN verification_result TEXT CHECK (verification_result IN ('PASSED', 'FAILED')),
    ADD COLUMN verification_reason TEXT;
CREATE INDEX backup_expiry_idx ON backup (expires_at) WHERE phase = 'SUCCEEDED';

-- Drills: integrity verifications and test restores, with their evidence (the plan's "document results").
CREATE TABLE drill (
    id             UUID PRIMARY KEY,
    type           TEXT        NOT NULL CHECK (type IN ('integrity', 'restore')),
    target         TEXT        NOT NULL,
    backup_id      UUID,
    phase          TEXT        NOT NULL CHECK (phase IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    requested_by   TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    failure_reason TEXT,
    evidence       JSONB,
    restore_id     UUID,
    rto_seconds    BIGINT
);
CREATE INDEX drill_created_idx ON drill (created_at DESC);
CREATE INDEX drill_target_created_idx ON drill (target, type, created_at DESC);
