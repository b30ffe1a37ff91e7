-- How far an idle stream holds everything: every transaction committed before this time (the
-- server's clock) is durable in the bucket, though the last one durable may be older (keepalives).
ALTER TABLE stream_chain ADD COLUMN caught_up_at TIMESTAMPTZ;
