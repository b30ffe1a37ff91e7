CREATE TABLE component (
    id          TEXT PRIMARY KEY,
    name        TEXT        NOT NULL,
    group_name  TEXT        NOT NULL,
    position    INTEGER     NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('operational', 'degraded_performance', 'partial_outage',
                                                       'major_outage', 'under_maintenance')),
    listed      BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
