-- Addresses that must not be mailed: hard bounces, complaints, requests to stop.
CREATE TABLE suppression (
    address     TEXT PRIMARY KEY,
    reason      TEXT        NOT NULL,
    note        TEXT,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
