-- Game days (the plan's quarterly full drill): incidents that run the same runbook against scratch
-- targets only and tell only the drill audience, never the public page.
ALTER TABLE incident ADD COLUMN drill BOOLEAN NOT NULL DEFAULT false;
