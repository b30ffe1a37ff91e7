-- Post-mortem action items can be closed: when, by whom, with an optional note.
ALTER TABLE postmortem_action ADD COLUMN done_at timestamptz;
ALTER TABLE postmortem_action ADD COLUMN done_by text;
ALTER TABLE postmortem_action ADD COLUMN done_note text;
