-- Status page subscribers: double opt-in (a single-use confirmation token), per-component interest,
-- one-click unsubscribe (RFC 8058). Tokens are stored hashed.
CREATE TABLE subscriber (
    id                  UUID PRIMARY KEY,
    email               TEXT        NOT NULL,
    components          TEXT        NOT NULL DEFAULT '',
    state               TEXT        NOT NULL CHECK (state IN ('PENDING', 'CONFIRMED', 'UNSUBSCRIBED')),
    confirm_token_hash  TEXT,
    unsubscribe_token   TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    confirmed_at        TIMESTAMPTZ,
    unsubscribed_at     TIMESTAMPTZ
);
CREATE UNIQUE INDEX subscriber_email_idx ON subscriber (lower(email));

ALTER TABLE delivery ADD COLUMN subscriber_id UUID REFERENCES subscriber (id);
