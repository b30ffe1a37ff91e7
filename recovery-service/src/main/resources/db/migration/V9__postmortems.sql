-- The plan's post-mortem: due within 48 hours of the resolution, its action items with owners and
-- deadlines.
CREATE TABLE postmortem (
    incident_id  UUID PRIMARY KEY REFERENCES incident (id),
    due_at       TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ,
    completed_by TEXT,
    summary      TEXT
);

CREATE TABLE postmortem_action (
    id          UUID PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES postmortem (incident_id),
    description TEXT        NOT NULL,
    owner       TEXT        NOT NULL,
    due_date    DATE        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL
);
CREATE INDEX postmortem_action_incident_idx ON postmortem_action (incident_id, created_at);
