-- Unsubscribe links now carry the subscriber's id and an HMAC of it keyed by
-- notify.subscribers.token-key (a Secret): the database holds nothing that makes or checks one.
-- Links mailed before carried a random token kept here in clear: only its SHA-256 is kept, so
-- those links keep working and a copy of the database cannot use them.
ALTER TABLE subscriber ADD COLUMN legacy_unsubscribe_hash TEXT;
UPDATE subscriber SET legacy_unsubscribe_hash = encode(sha256(convert_to(unsubscribe_token, 'UTF8')), 'hex');
ALTER TABLE subscriber DROP COLUMN unsubscribe_token;
CREATE INDEX subscriber_legacy_unsubscribe_idx ON subscriber (legacy_unsubscribe_hash)
    WHERE legacy_unsubscribe_hash IS NOT NULL;
