-- An overdue post-mortem reminds the team once.
ALTER TABLE postmortem ADD COLUMN reminded_at TIMESTAMPTZ;
