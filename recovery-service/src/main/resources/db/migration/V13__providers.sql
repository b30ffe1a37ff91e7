-- Provider outages: the provider an incident concerns, the failover recorded on its timeline, and
-- the work the product queued for later while providers were down.
ALTER TABLE incident ADD COLUMN provider TEXT;
ALTER TABLE incident_event DROP CONSTRAINT incident_event_kind_check;
ALTER TABLE incident_event ADD CONSTRAINT incident_event_kind_check
    CHECK (kind IN ('declared', 'step', 'update', 'reminder', 'failover', 'resolved'));

CREATE TABLE provider_queue (
    id           UUID PRIMARY KEY,
    provider     TEXT        NOT NULL,
    items        INTEGER     NOT NULL CHECK (items > 0),
    note         TEXT,
    queued_at    TIMESTAMPTZ NOT NULL,
    queued_by    TEXT        NOT NULL,
    processed_at TIMESTAMPTZ,
    processed_by TEXT
);
CREATE INDEX provider_queue_pending_idx ON provider_queue (provider) WHERE processed_at IS NULL;
