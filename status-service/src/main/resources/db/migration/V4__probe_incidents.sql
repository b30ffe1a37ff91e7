-- Incidents a probe opened by itself, so that it resolves them on recovery (across restarts too).
ALTER TABLE incident ADD COLUMN opened_by_probe TEXT;
CREATE INDEX incident_open_probe_idx ON incident (opened_by_probe) WHERE opened_by_probe IS NOT NULL;
