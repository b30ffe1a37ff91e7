-- A data breach's GDPR clock: 72 hours from the moment the company became aware of it, until the
-- authority and the users are notified.
ALTER TABLE incident
    ADD COLUMN aware_at              TIMESTAMPTZ,
    ADD COLUMN authority_notified_at TIMESTAMPTZ,
    ADD COLUMN users_notified_at     TIMESTAMPTZ;
