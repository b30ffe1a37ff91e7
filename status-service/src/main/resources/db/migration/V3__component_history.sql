-- Every status change of every component: the source of uptime and availability.
CREATE TABLE component_status_change (
    id           BIGSERIAL PRIMARY KEY,
    component_id TEXT        NOT NULL REFERENCES component (id),
    changed_at   TIMESTAMPTZ NOT NULL,
    old_status   TEXT        NOT NULL,
    new_status   TEXT        NOT NULL
);
CREATE INDEX component_status_change_idx ON component_status_change (component_id, changed_at);
