-- Drill restores (backup-service's monthly test restore): restored into a scratch destination,
-- verified, then dropped, whatever the outcome.
ALTER TABLE restore DROP CONSTRAINT restore_mode_check;
ALTER TABLE restore ADD CONSTRAINT restore_mode_check CHECK (mode IN ('new-database', 'in-place', 'drill'));
ALTER TABLE restore ADD COLUMN scratch_dropped_at TIMESTAMPTZ;
