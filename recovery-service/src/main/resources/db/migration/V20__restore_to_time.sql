-- Restores to a time (streamed targets): the time asked for, and the exact point reached (the commit
-- time and LSN of the last transaction applied), with what was replayed after the base backup.
ALTER TABLE restore
    ADD COLUMN to_time TIMESTAMPTZ,
    ADD COLUMN reached_commit_time TIMESTAMPTZ,
    ADD COLUMN reached_lsn TEXT,
    ADD COLUMN segments_applied INT,
    ADD COLUMN transactions_applied BIGINT;
