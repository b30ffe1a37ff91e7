-- What became of each message given to notification-service: its notification, and whether it was
-- delivered or dead-lettered there (with the reason), as notification-service says.
ALTER TABLE peer_outbox ADD COLUMN notification_id UUID;
ALTER TABLE peer_outbox ADD COLUMN delivery TEXT;
ALTER TABLE peer_outbox ADD COLUMN delivery_detail TEXT;
ALTER TABLE peer_outbox ADD COLUMN delivery_checked_at TIMESTAMPTZ;
CREATE INDEX peer_outbox_delivery_idx ON peer_outbox (delivery) WHERE delivery = 'pending';
