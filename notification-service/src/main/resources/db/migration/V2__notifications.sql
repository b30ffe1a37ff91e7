-- Notifications accepted, and one delivery per recipient and channel: the outbox the dispatcher
-- works through. Written in the same transaction as the acceptance.
CREATE TABLE notification (
    id              UUID PRIMARY KEY,
    template        TEXT        NOT NULL,
    audience        TEXT        NOT NULL,
    variables       JSONB       NOT NULL,
    idempotency_key TEXT        NOT NULL UNIQUE,
    requested_by    TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE delivery (
    id              UUID PRIMARY KEY,
    notification_id UUID        NOT NULL REFERENCES notification (id),
    channel         TEXT        NOT NULL,
    recipient       TEXT        NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('PENDING', 'SENT', 'DEAD')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX delivery_due_idx ON delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX delivery_notification_idx ON delivery (notification_id);
