-- Backup alerts: one episode per target and problem, from the first sign to the recovery; one
-- alert when it opens and one message when it ends, never one a minute.
CREATE TABLE alert_episode (
    id         UUID PRIMARY KEY,
    target     TEXT        NOT NULL,
    problem    TEXT        NOT NULL CHECK (problem IN ('rpo-breach', 'backup-failed', 'verification-failed',
                                                       'drill-failed')),
    opened_at  TIMESTAMPTZ NOT NULL,
    reason     TEXT        NOT NULL,
    closed_at  TIMESTAMPTZ,
    resolution TEXT
);
CREATE UNIQUE INDEX alert_episode_one_open ON alert_episode (target, problem) WHERE closed_at IS NULL;
CREATE INDEX alert_episode_opened_idx ON alert_episode (opened_at DESC);

-- Messages to notification-service and status-service, written in the transaction that decided
-- them and sent after it: a peer that is down delays them, never loses them. A permanent refusal
-- (a 4xx other than 408/425/429) is dead-lettered and the others go on.
CREATE TABLE outbox (
    id              UUID PRIMARY KEY,
    destination     TEXT        NOT NULL CHECK (destination IN ('notification', 'component')),
    payload         JSONB       NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ,
    dead_at         TIMESTAMPTZ
);
CREATE INDEX outbox_due_idx ON outbox (created_at) WHERE sent_at IS NULL AND dead_at IS NULL;
