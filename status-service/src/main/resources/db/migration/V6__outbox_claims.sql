-- Replicas share the outbox: a dispatch round claims messages (FOR UPDATE SKIP LOCKED) for a lease,
-- and records an outcome only while its claim holds, so that two replicas never send one message.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;
