-- Incidents declared by operators, one of the plan's five disaster scenarios each.
CREATE TABLE incident (
    id           UUID PRIMARY KEY,
    title        TEXT        NOT NULL,
    scenario     TEXT        NOT NULL,
    severity     TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    summary      TEXT,
    declared_by  TEXT        NOT NULL,
    declared_at  TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ
);
CREATE INDEX incident_declared_at_idx ON incident (declared_at DESC);
