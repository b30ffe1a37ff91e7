package ai.loopgpt.dr.status.service;

import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.config.StatusSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The probes' response times, kept small whatever the probe interval: every answered check adds to
 * one 15-minute bucket and one UTC-day bucket of its component (answers, their total and highest
 * milliseconds), and buckets older than the charts show are deleted. Adding is an upsert, so two
 * replicas probing at once (while the lead changes hands) add to the same rows; deleting old rows
 * twice does no harm. At most 96 + 90 rows per probed component are kept, a few more until the next
 * prune.
 */
@ApplicationScoped
public class ResponseTimes {

    private static final Logger LOG = Logger.getLogger(ResponseTimes.class);

    private static final String ADD = """
            INSERT INTO {h-schema}response_time AS r (component_id, bucket_seconds, bucket_start, samples, total_millis, max_millis)
            VALUES (?1, ?2, ?3, 1, ?4, ?4)
            ON CONFLICT (component_id, bucket_seconds, bucket_start) DO UPDATE SET samples = r.samples + 1,
            total_millis = r.total_millis + EXCLUDED.total_millis, max_millis = GREATEST(r.max_millis, EXCLUDED.max_millis)""";

    /** What a chart covers: buckets of one width, the newest holding "now". */
    public enum Period {
        LAST_24_HOURS("24h", "the last 24 hours", Duration.ofMinutes(15), 96),
        LAST_90_DAYS("90d", "the last 90 days", Duration.ofDays(1), 90);

        private final String code;
        private final String words;
        private final Duration bucket;
        private final int buckets;

        Period(String code, String words, Duration bucket, int buckets) {
            this.code = code;
            this.words = words;
            this.bucket = bucket;
            this.buckets = buckets;
        }

        /** {@code 24h}, {@code 90d}. */
        public String code() {
            return code;
        }

        /** "the last 24 hours". */
        public String words() {
            return words;
        }

        public Duration bucket() {
            return bucket;
        }

        public int buckets() {
            return buckets;
        }

        /** The start of the bucket holding {@code at} (days are UTC days, as the uptime bars'). */
        public Instant bucketOf(Instant at) {
            long seconds = bucket.toSeconds();
            return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), seconds) * seconds);
        }

        /** The start of the oldest bucket shown at {@code now}: older ones are deleted. */
        public Instant firstShown(Instant now) {
            return bucketOf(now).minus(bucket.multipliedBy(buckets - 1L));
        }
    }

    /** One bucket: how many checks answered in it, their total and highest milliseconds; none is a gap. */
    public record Bucket(Instant start, long samples, long totalMillis, long maxMillis) {

        public boolean empty() {
            return samples == 0;
        }
    }

    private final StatusSettings settings;
    private final Clock clock;

    public ResponseTimes(StatusSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Adds one answered check of {@code componentId}, {@code millis} long, made at {@code at}. */
    public void record(String componentId, Instant at, long millis) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (Period period : Period.values()) {
                Component.getEntityManager().createNativeQuery(ADD).setParameter(1, componentId)
                        .setParameter(2, (int) period.bucket().toSeconds()).setParameter(3, period.bucketOf(at))
                        .setParameter(4, millis).executeUpdate();
            }
        });
    }

    /**
     * The buckets of {@code period} up to {@code now} of every probed component, oldest first, a bucket
     * without answers included as empty; a component without a probe has none. Call inside a transaction.
     */
    public Map<String, List<Bucket>> shown(Period period, Instant now) {
        Instant first = period.firstShown(now);
        Map<String, Map<Long, Bucket>> stored = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Component.getEntityManager().createNativeQuery("""
                SELECT component_id, CAST(EXTRACT(EPOCH FROM bucket_start) AS BIGINT), samples, total_millis, max_millis
                FROM {h-schema}response_time WHERE bucket_seconds = ?1 AND bucket_start >= ?2""")
                .setParameter(1, (int) period.bucket().toSeconds()).setParameter(2, first).getResultList();
        for (Object[] row : rows) {
            long start = ((Number) row[1]).longValue();
            stored.computeIfAbsent((String) row[0], id -> new HashMap<>()).put(start, new Bucket(Instant.ofEpochSecond(start),
                    ((Number) row[2]).longValue(), ((Number) row[3]).longValue(), ((Number) row[4]).longValue()));
        }
        Map<String, List<Bucket>> shown = new LinkedHashMap<>();
        for (String componentId : settings.probes().keySet()) {
            Map<Long, Bucket> own = stored.getOrDefault(componentId, Map.of());
            List<Bucket> buckets = new ArrayList<>(period.buckets());
            for (int i = 0; i < period.buckets(); i++) {
                Instant start = first.plus(period.bucket().multipliedBy(i));
                buckets.add(own.getOrDefault(start.getEpochSecond(), new Bucket(start, 0, 0, 0)));
            }
            shown.put(componentId, List.copyOf(buckets));
        }
        return shown;
    }

    /** Deletes the buckets no chart shows any more at {@code now}; returns how many. */
    public int prune(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int deleted = 0;
            for (Period period : Period.values()) {
                deleted += Component.getEntityManager().createNativeQuery(
                        "DELETE FROM {h-schema}response_time WHERE bucket_seconds = ?1 AND bucket_start < ?2")
                        .setParameter(1, (int) period.bucket().toSeconds()).setParameter(2, period.firstShown(now))
                        .executeUpdate();
            }
            return deleted;
        });
    }

    /** Every replica prunes (the same rows; whichever comes second finds nothing left). */
    @Scheduled(every = "${status.response-times.prune-every:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        try {
            int deleted = prune(clock.instant());
            if (deleted > 0) {
                LOG.debugf("Deleted %d response-time buckets older than the charts show", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not delete old response times (tried again later): %s", e.getMessage());
        }
    }
}
