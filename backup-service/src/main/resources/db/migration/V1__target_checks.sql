-- Connectivity checks of backup targets: can we log in, which server version, can our pg_dump dump it.
CREATE TABLE target_check (
    id               BIGSERIAL PRIMARY KEY,
    target           TEXT        NOT NULL,
    checked_at       TIMESTAMPTZ NOT NULL,
    reachable        BOOLEAN     NOT NULL,
    server_version   TEXT,
    pg_dump_version  TEXT,
    dumpable         BOOLEAN     NOT NULL,
    database_bytes   BIGINT,
    problem          TEXT
);
CREATE INDEX target_check_target_idx ON target_check (target, checked_at DESC);
