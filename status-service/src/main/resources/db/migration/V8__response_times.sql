-- Probe response times, added up as they are measured so that the table stays small whatever the
-- probe interval: per probed component, 15-minute buckets (kept 24 hours) and UTC-day buckets (kept
-- 90 days), each with the number of answers, their total and their highest milliseconds. Two
-- replicas may add to the same bucket at once (an upsert); ResponseTimes deletes what is older.
CREATE TABLE response_time (
    component_id   TEXT        NOT NULL REFERENCES component (id),
    bucket_seconds INTEGER     NOT NULL,
    bucket_start   TIMESTAMPTZ NOT NULL,
    samples        BIGINT      NOT NULL,
    total_millis   BIGINT      NOT NULL,
    max_millis     BIGINT      NOT NULL,
    PRIMARY KEY (component_id, bucket_seconds, bucket_start)
);
CREATE INDEX response_time_age_idx ON response_time (bucket_seconds, bucket_start);
