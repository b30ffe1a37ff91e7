-- How a backup whose process died was settled from the bucket's truth (recovered, or its object deleted).
ALTER TABLE backup ADD COLUMN settled_note TEXT;
