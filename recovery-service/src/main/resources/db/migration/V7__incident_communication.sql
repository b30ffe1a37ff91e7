-- Incidents tell people: the public incident on status-service, the plan's emails and Slack
-- through notification-service. Messages are written in the transaction that decided them and sent
-- after it, oldest first per peer: a peer that is down delays them, never loses them; each carries
-- an id or idempotency key, so that a retry never shows or sends anything twice.
CREATE TABLE peer_outbox (
    id              UUID PRIMARY KEY,
    peer            TEXT        NOT NULL CHECK (peer IN ('status', 'notification')),
    method          TEXT        NOT NULL,
    path            TEXT        NOT NULL,
    body            JSONB       NOT NULL,
    incident_id     UUID,
    publishes       BOOLEAN     NOT NULL DEFAULT false,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ,
    dead_at         TIMESTAMPTZ
);
CREATE INDEX peer_outbox_due_idx ON peer_outbox (created_at) WHERE sent_at IS NULL AND dead_at IS NULL;

ALTER TABLE incident
    ADD COLUMN status_page_id TEXT,
    ADD COLUMN published_at   TIMESTAMPTZ;

ALTER TABLE incident_event DROP CONSTRAINT incident_event_kind_check;
ALTER TABLE incident_event ADD CONSTRAINT incident_event_kind_check
    CHECK (kind IN ('declared', 'step', 'update', 'resolved'));
