-- Where a backup's time went: milliseconds per phase (snapshot, dump, upload, row-counts, manifest).
ALTER TABLE backup ADD COLUMN phase_millis JSONB;
