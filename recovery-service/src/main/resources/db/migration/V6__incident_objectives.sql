-- The plan's objectives measured on each incident: RTO (started → resolved) and, per affected
-- backup target, RPO (started − that target's last good backup before it).
ALTER TABLE incident
    ADD COLUMN affected_targets JSONB,
    ADD COLUMN rto_seconds      BIGINT,
    ADD COLUMN rpo              JSONB;
