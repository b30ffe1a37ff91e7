-- Incidents and scheduled maintenances (one table, as Statuspage models them), their timeline of
-- updates, and the component status changes each update made.
CREATE TABLE incident (
    id              TEXT PRIMARY KEY,
    kind            TEXT        NOT NULL CHECK (kind IN ('incident', 'maintenance')),
    name            TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved',
                                                           'postmortem', 'scheduled', 'in_progress', 'verifying',
                                                           'completed')),
    impact          TEXT        NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical', 'maintenance')),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    monitoring_at   TIMESTAMPTZ,
    resolved_at     TIMESTAMPTZ,
    scheduled_for   TIMESTAMPTZ,
    scheduled_until TIMESTAMPTZ
);
CREATE INDEX incident_started_idx ON incident (started_at DESC);

CREATE TABLE incident_component (
    incident_id  TEXT NOT NULL REFERENCES incident (id),
    component_id TEXT NOT NULL REFERENCES component (id),
    PRIMARY KEY (incident_id, component_id)
);

CREATE TABLE incident_update (
    id          TEXT PRIMARY KEY,
    incident_id TEXT        NOT NULL REFERENCES incident (id),
    status      TEXT        NOT NULL,
    body        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    display_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_update_incident_idx ON incident_update (incident_id, created_at);

CREATE TABLE incident_update_component (
    update_id    TEXT NOT NULL REFERENCES incident_update (id),
    component_id TEXT NOT NULL REFERENCES component (id),
    old_status   TEXT NOT NULL,
    new_status   TEXT NOT NULL,
    PRIMARY KEY (update_id, component_id)
);
