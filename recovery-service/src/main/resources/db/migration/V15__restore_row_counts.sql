-- The rows per table counted in the restored copy when it was verified against the manifest.
ALTER TABLE restore ADD COLUMN table_rows JSONB;
