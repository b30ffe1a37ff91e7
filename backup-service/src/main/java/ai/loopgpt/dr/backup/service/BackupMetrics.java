package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's metrics, all defined here: backup duration, size, last success and RPO age per
 * target, failures by reason, aborted orphan uploads, retention deletions, drill duration.
 * Prometheus names: dr_backup_duration_seconds, dr_backup_size_bytes,
 * dr_backup_last_success_timestamp_seconds, dr_backup_rpo_age_seconds, dr_backup_failures_total,
 * dr_backup_orphan_uploads_aborted_total, dr_backup_expired_total, dr_drill_duration_seconds
 * (the root README's metrics table lists them).
 */
@ApplicationScoped
public class BackupMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    /** Per target: up to when (epoch seconds) every committed change can be restored (a backup's snapshot, or the stream). */
    private final Map<String, AtomicLong> recoverable = new ConcurrentHashMap<>();
    /** Per target: the RPO it is held to (seconds). */
    private final Map<String, AtomicLong> objective = new ConcurrentHashMap<>();

    public BackupMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Registers the per-target gauges, starting from the last success the catalog knows. */
    public void track(String target, Long lastSuccessEpochSeconds) {
        lastSuccess.computeIfAbsent(target, t -> {
            AtomicLong value = new AtomicLong(lastSuccessEpochSeconds == null ? 0 : lastSuccessEpochSeconds);
            Gauge.builder("dr.backup.last.success.timestamp", value, AtomicLong::get)
                    .baseUnit("seconds").description("When the last good backup of the target was taken")
                    .tag("target", t).register(registry);
            AtomicLong point = recoverable.computeIfAbsent(t, name -> new AtomicLong(value.get()));
            Gauge.builder("dr.backup.rpo.age", point, v -> v.get() == 0 ? Double.NaN
                            : clock.instant().getEpochSecond() - v.get())
                    .baseUnit("seconds").description("What a failure now would lose: the age of the newest good backup, "
                            + "or of the stream's last durable change (streamed targets)")
                    .tag("target", t).register(registry);
            return value;
        });
    }

    /** Every change of {@code target} committed before {@code until} is durable (its change stream). */
    public void recoverableUntil(String target, java.time.Instant until) {
        track(target, null);
        recoverable.get(target).accumulateAndGet(until.getEpochSecond(), Math::max);
    }

    /**
     * The target's recovery point as the catalog says now ({@code until}, null: nothing restorable) and
     * its objective: every replica exports the same, whichever one streams the target.
     */
    public void recoveryPoint(String target, java.time.Instant until, Duration rpo) {
        track(target, null);
        recoverable.get(target).set(until == null ? 0 : until.getEpochSecond());
        objective.computeIfAbsent(target, t -> {
            AtomicLong value = new AtomicLong(rpo.toSeconds());
            Gauge.builder("dr.backup.rpo.objective", value, AtomicLong::get).baseUnit("seconds")
                    .description("The RPO the target is held to: backup.rpo, or backup.stream.rpo while it streams")
                    .tag("target", t).register(registry);
            return value;
        }).set(rpo.toSeconds());
    }

    public void finished(Backup backup) {
        Duration took = Duration.between(backup.startedAt != null ? backup.startedAt : backup.createdAt,
                backup.finishedAt);
        String outcome = backup.phase == BackupPhase.SUCCEEDED ? "succeeded" : "failed";
        Timer.builder("dr.backup.duration").description("Wall time of backups")
                .tags("target", backup.target, "format", backup.format.code(), "compression", backup.compression.code(),
                        "outcome", outcome)
                .register(registry).record(took);
        if (backup.phase == BackupPhase.SUCCEEDED) {
            DistributionSummary.builder("dr.backup.size").baseUnit("bytes").description("Size of backup objects")
                    .tag("target", backup.target).register(registry).record(backup.sizeBytes);
            track(backup.target, null);
            lastSuccess.get(backup.target).accumulateAndGet(backup.startedAt.getEpochSecond(), Math::max);
            recoverable.get(backup.target).accumulateAndGet(backup.startedAt.getEpochSecond(), Math::max);
        } else {
            Counter.builder("dr.backup.failures").description("Failed backups by reason")
                    .tags("target", backup.target, "reason", backup.failureCategory == null ? "internal" : backup.failureCategory)
                    .register(registry).increment();
        }
    }

    /** An upload left by a stopped process, aborted by the sweep. */
    public void orphanUploadAborted() {
        Counter.builder("dr.backup.orphan.uploads.aborted")
                .description("Multipart uploads no running backup owned, aborted by the sweep").register(registry)
                .increment();
    }

    /** {@code count} backups deleted from the bucket, by retention or by an admin (0 still shows the counter). */
    public void expired(int count) {
        Counter.builder("dr.backup.expired").description("Backups deleted from the bucket by retention or by an admin")
                .register(registry).increment(count);
    }

    /** A drill of {@code type} on {@code target} ended, passed or not, after {@code took}. */
    public void drillFinished(String type, String target, boolean passed, Duration took) {
        Timer.builder("dr.drill.duration").description("Drills by type and outcome")
                .tags("type", type, "target", target, "outcome", passed ? "succeeded" : "failed")
                .register(registry).record(took);
    }
}
