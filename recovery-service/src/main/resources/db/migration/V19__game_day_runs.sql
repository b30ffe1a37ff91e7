-- Game days that run themselves: the plan's four test scenarios run one after another, each as a
-- drill incident, with what each measured, where it failed and what it must undo after a crash.
CREATE TABLE game_day (
    id UUID PRIMARY KEY,
    requested_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    failure_reason TEXT,
    phase TEXT NOT NULL
);
-- One game day at a time.
CREATE UNIQUE INDEX game_day_one_open_idx ON game_day ((true)) WHERE phase IN ('PENDING', 'RUNNING');
CREATE INDEX game_day_created_idx ON game_day (created_at DESC);

CREATE TABLE game_day_scenario (
    id UUID PRIMARY KEY,
    game_day_id UUID NOT NULL REFERENCES game_day (id),
    position INT NOT NULL,
    scenario TEXT NOT NULL,
    phase TEXT NOT NULL,
    incident_id UUID,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    step TEXT,
    failed_step TEXT,
    reason TEXT,
    rto_seconds DOUBLE PRECISION,
    rpo_seconds DOUBLE PRECISION,
    first_message_seconds DOUBLE PRECISION,
    actions JSONB NOT NULL DEFAULT '[]',
    -- The drill copy of the status page's components: each one's status before and during the drill.
    components JSONB,
    -- A drill Deployment rolled back and not yet rolled forward: namespace, deployment, revision.
    rolled_back JSONB,
    UNIQUE (game_day_id, position)
);

-- When notification-service delivered a message (its last delivery sent), for the time to first message.
ALTER TABLE peer_outbox ADD COLUMN delivered_at TIMESTAMPTZ;
