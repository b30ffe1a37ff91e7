-- How many (compressed) bytes a running backup has uploaded so far, written every few seconds.
ALTER TABLE backup ADD COLUMN bytes_uploaded BIGINT;
