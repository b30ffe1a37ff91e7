-- Where a restore's time went: milliseconds per phase (prepare, download, load, verify, swap, ...).
ALTER TABLE restore ADD COLUMN phase_millis JSONB;
