-- The time of each action an incident ran (restores, rollbacks), measured at its resolution.
ALTER TABLE incident ADD COLUMN action_times JSONB;
