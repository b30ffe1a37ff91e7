-- Replicas share the outbox: a dispatch round claims messages (FOR UPDATE SKIP LOCKED) for a lease,
-- and records an outcome only while its claim holds, so that two replicas never send one message.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;

-- A message notification-service refuses for good (a 4xx other than 408/425/429) is dead-lettered:
-- it stops blocking the ones after it, stays visible, and an operator can send it again.
ALTER TABLE outbox ADD COLUMN dead_at TIMESTAMPTZ;
