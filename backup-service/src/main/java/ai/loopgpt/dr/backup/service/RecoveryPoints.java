package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.stream.StreamBases;
import ai.loopgpt.dr.backup.stream.StreamChain;
import ai.loopgpt.dr.backup.stream.StreamChains;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a failure of a target now would lose, against its objective: up to when every committed change
 * can be restored — its newest good backup's snapshot, or for a streamed target its active chain's
 * last durable change (later when the stream is idle and caught up) — and the RPO it must meet
 * ({@code backup.rpo}, or {@code backup.stream.rpo} while the target streams).
 */
@ApplicationScoped
public class RecoveryPoints {

    private final BackupSettings settings;
    private final StreamBases streams;
    private final StreamChains chains;

    private final BackupMetrics metrics;

    public RecoveryPoints(BackupSettings settings, StreamBases streams, StreamChains chains, BackupMetrics metrics) {
        this.settings = settings;
        this.streams = streams;
        this.chains = chains;
        this.metrics = metrics;
    }

    /** Every few seconds on every replica: the metrics follow the catalog (dr_backup_rpo_age_seconds, its objective). */
    @io.quarkus.scheduler.Scheduled(every = "${backup.metrics.rpo-every:5s}", delayed = "1s",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void export() {
        for (String target : settings.targets().keySet()) {
            try {
                Point point = of(target);
                metrics.recoveryPoint(target, point.until(), point.objective());
            } catch (RuntimeException e) {
                // The catalog unreachable for a moment: the gauges keep their last values.
                org.jboss.logging.Logger.getLogger(RecoveryPoints.class).debugf("RPO of %s not refreshed: %s", target,
                        e.getMessage());
            }
        }
    }

    /** {@code until}: null when nothing can be restored; {@code chain}: the active chain that sets it, if any. */
    public record Point(Optional<Backup> lastGood, Instant until, StreamChain chain, boolean streamed, Duration objective) {

        /** Seconds since {@link #until}, or null when nothing can be restored. */
        public Long ageSeconds(Instant now) {
            return until == null ? null : Duration.between(until, now).toSeconds();
        }

        public boolean breached(Instant now) {
            return until == null || Duration.between(until, now).compareTo(objective) > 0;
        }
    }

    public Point of(String target) {
        Optional<Backup> good = QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>find(
                "target = ?1 and phase = ?2", Sort.descending("startedAt"), target, BackupPhase.SUCCEEDED)
                .firstResultOptional());
        Instant until = good.map(b -> b.startedAt).orElse(null);
        boolean streamed = streams.streams(target);
        StreamChain active = streamed ? chains.newestActive(target) : null;
        if (active != null && active.holdsAllUntil() != null && (until == null || active.holdsAllUntil().isAfter(until))) {
            until = active.holdsAllUntil();
        } else {
            active = null;
        }
        return new Point(good, until, active, streamed, streamed ? settings.stream().rpo() : settings.rpo());
    }
}
