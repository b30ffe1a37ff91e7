-- A claimed delivery names the dispatch round that claimed it: an outcome is recorded only by the
-- round that still holds the claim (a round whose lease ran out leaves the delivery to the next one).
ALTER TABLE delivery ADD COLUMN claimed_by TEXT;

-- SUPPRESSED: the address was suppressed after the notification was accepted; nothing was sent.
ALTER TABLE delivery DROP CONSTRAINT delivery_state_check;
ALTER TABLE delivery ADD CONSTRAINT delivery_state_check CHECK (state IN ('PENDING', 'SENT', 'DEAD', 'SUPPRESSED'));
