-- Reminders that an incident's update is due (the plan: every 30 minutes), one per gap.
ALTER TABLE incident_event DROP CONSTRAINT incident_event_kind_check;
ALTER TABLE incident_event ADD CONSTRAINT incident_event_kind_check
    CHECK (kind IN ('declared', 'step', 'update', 'reminder', 'resolved'));
