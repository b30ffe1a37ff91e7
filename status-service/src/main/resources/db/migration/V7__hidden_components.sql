-- Internal components (the DR suite's own "Backups", say): kept, set and audited like the others,
-- but left off the public page and the public API unless configured shown.
ALTER TABLE component ADD COLUMN shown BOOLEAN NOT NULL DEFAULT true;
