-- Incidents that run their scenario's runbook: who holds which role, what is affected, and a
-- timeline of everything done (steps ticked, actions started with a link to them, resolution).
ALTER TABLE incident
    ADD COLUMN started_at          TIMESTAMPTZ,
    ADD COLUMN roles               JSONB,
    ADD COLUMN affected_components JSONB,
    ADD COLUMN runbook_version     INTEGER,
    ADD COLUMN root_cause          TEXT,
    ADD COLUMN preventive_measures TEXT;

CREATE TABLE incident_event (
    id          UUID PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES incident (id),
    at          TIMESTAMPTZ NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('declared', 'step', 'resolved')),
    step_id     TEXT,
    actor       TEXT        NOT NULL,
    outcome     TEXT,
    note        TEXT,
    link        TEXT
);
CREATE INDEX incident_event_incident_idx ON incident_event (incident_id, at);
-- A checklist item is ticked once.
CREATE UNIQUE INDEX incident_event_item_once ON incident_event (incident_id, step_id) WHERE outcome = 'done';
