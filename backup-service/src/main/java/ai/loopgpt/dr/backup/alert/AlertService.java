package ai.loopgpt.dr.backup.alert;

import ai.loopgpt.dr.backup.stream.StreamBases;
import ai.loopgpt.dr.backup.stream.StreamChain;
import ai.loopgpt.dr.backup.stream.StreamChains;
import ai.loopgpt.dr.backup.stream.StreamTarget;
import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.drill.Drill;
import ai.loopgpt.dr.backup.service.RecoveryPoints;
import ai.loopgpt.dr.backup.service.TargetService;
import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.lock.Leadership;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Watches every target against the plan's promises: the newest good backup within the RPO, the
 * newest backup, verification and restore drill not failed. What is wrong now opens an episode (one
 * alert to the operators, the Backups component degraded); what is right again closes it (one
 * recovery message; the component operational once no episode is open). State is compared, not
 * events counted: a crash or a missed event is caught at the next check, and nothing is said twice.
 */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);

    private final TargetService targets;
    private final BackupSettings settings;
    private final Leadership leadership;
    private final Clock clock;

    private final StreamBases streamBases;
    private final StreamChains streamChains;

    private final RecoveryPoints points;

    public AlertService(TargetService targets, BackupSettings settings, Leadership leadership, Clock clock,
            StreamBases streamBases, StreamChains streamChains, RecoveryPoints points) {
        this.points = points;
        this.streamBases = streamBases;
        this.streamChains = streamChains;
        this.targets = targets;
        this.settings = settings;
        this.leadership = leadership;
        this.clock = clock;
    }

    /** Every minute, on the replica that leads the watch. */
    @Scheduled(every = "${backup.alerts.every:60s}", delayed = "${backup.alerts.delay:20s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        if (leadership.leads("backup-alerts")) {
            checkAll();
        }
    }

    public void checkAll() {
        for (String target : targets.names()) {
            check(target);
        }
    }

    /** Compares {@code target}'s state with its open episodes, opening and closing them. Never throws. */
    public synchronized void check(String target) {
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            QuarkusTransaction.requiringNew().run(() -> reconcile(target, now));
        } catch (RuntimeException e) {
            // Another replica decided the same thing at the same moment (one open episode per problem), or
            // the database is away: the next check sees the state as it is.
            LOG.debugf("Alert check of %s deferred: %s", target, e.getMessage());
        }
    }

    private void reconcile(String target, Instant now) {
        Map<String, String> wrong = problems(target, now);
        List<AlertEpisode> open = AlertEpisode.list("target = ?1 and closedAt is null", target);
        boolean changed = false;
        for (Map.Entry<String, String> problem : wrong.entrySet()) {
            if (open.stream().noneMatch(e -> e.problem.equals(problem.getKey()))) {
                AlertEpisode e = new AlertEpisode();
                e.id = UUID.randomUUID();
                e.target = target;
                e.problem = problem.getKey();
                e.openedAt = now;
                e.reason = problem.getValue();
                e.persist();
                alert(e, now);
                changed = true;
                LOG.warnf("Backup alert opened for %s: %s", target, e.reason);
            }
        }
        for (AlertEpisode e : open) {
            if (!wrong.containsKey(e.problem)) {
                e.closedAt = now;
                e.resolution = resolution(e.problem, target);
                recovered(e, now);
                changed = true;
                LOG.infof("Backup alert of %s closed (%s): %s", target, e.problem, e.resolution);
            }
        }
        if (changed) {
            AlertEpisode.flush();
            boolean anyOpen = AlertEpisode.count("closedAt is null and target in ?1", List.copyOf(targets.names())) > 0;
            OutboxMessage.enqueue(OutboxMessage.COMPONENT, Map.of("component", settings.alerts().component(),
                    "status", anyOpen ? "degraded_performance" : "operational"), now);
        }
    }

    /** What is wrong with {@code target} now: problem → what was seen. */
    private Map<String, String> problems(String target, Instant now) {
        Map<String, String> wrong = new LinkedHashMap<>();
        RecoveryPoints.Point point = points.of(target);
        Optional<Backup> good = point.lastGood();
        if (good.isEmpty()) {
            wrong.put("rpo-breach", "There is no good backup of " + target + " at all.");
        } else if (point.breached(now) && point.streamed()) {
            wrong.put("rpo-breach", "The change stream of " + target + " holds every change only up to "
                    + point.until().truncatedTo(ChronoUnit.SECONDS) + " (" + human(Duration.between(point.until(), now))
                    + " ago); a streamed target's RPO is " + human(point.objective()) + ".");
        } else if (point.breached(now)) {
            wrong.put("rpo-breach", "The newest good backup of " + target + " was taken " + age(good.get(), now)
                    + " ago (" + good.get().startedAt.truncatedTo(ChronoUnit.SECONDS) + "); the RPO is "
                    + human(point.objective()) + ".");
        }
        Backup.<Backup>find("target = ?1 and phase in ?2", Sort.descending("finishedAt"), target,
                List.of(BackupPhase.SUCCEEDED, BackupPhase.FAILED)).firstResultOptional()
                .filter(b -> b.phase == BackupPhase.FAILED)
                .ifPresent(b -> wrong.put("backup-failed", "Backup " + b.id + " failed at "
                        + b.finishedAt.truncatedTo(ChronoUnit.SECONDS) + ": " + b.failureReason));
        newestDrill(target, Drill.Type.integrity).filter(d -> d.phase == JobPhase.FAILED)
                .ifPresent(d -> wrong.put("verification-failed", "The integrity verification of backup " + d.backupId
                        + " failed (drill " + d.id + "): " + d.failureReason));
        newestDrill(target, Drill.Type.restore).filter(d -> d.phase == JobPhase.FAILED)
                .ifPresent(d -> wrong.put("drill-failed", "The restore drill of backup " + d.backupId + " failed (drill "
                        + d.id + "): " + d.failureReason));
        streamProblems(target, wrong);
        return wrong;
    }

    /** A streamed target's stream stopped to protect its server, or its slot keeping much WAL. */
    private void streamProblems(String target, Map<String, String> wrong) {
        if (!streamBases.configured(target)) {
            return;
        }
        StreamTarget stopped = streamChains.disabled(target);
        if (stopped != null) {
            wrong.put("stream-stopped", "The change stream of " + target + " was stopped at "
                    + stopped.disabledAt.truncatedTo(ChronoUnit.SECONDS) + ": " + stopped.disabledReason
                    + ". Its backups are plain dumps until streaming is turned on again.");
            return;
        }
        StreamChain active = streamChains.newestActive(target);
        long warning = settings.stream().retainedWalWarningMib();
        if (active != null && active.retainedWalBytes != null && active.retainedWalBytes > warning * 1024 * 1024) {
            wrong.put("stream-wal-warning", "Slot " + active.slotName + " of " + target + " keeps "
                    + active.retainedWalBytes / (1024 * 1024) + " MiB of WAL on the server (alert above " + warning
                    + " MiB, dropped above " + settings.stream().retainedWalLimitMib()
                    + " MiB): its changes are not being confirmed.");
        }
    }

    private String resolution(String problem, String target) {
        return switch (problem) {
            case "rpo-breach" -> "A good backup of " + target + " is within the RPO again"
                    + newestGood(target).map(b -> " (taken " + b.startedAt.truncatedTo(ChronoUnit.SECONDS) + ")").orElse("")
                    + ".";
            case "backup-failed" -> "A newer backup of " + target + " succeeded.";
            case "verification-failed" -> "A newer integrity verification of " + target + " passed.";
            case "stream-stopped" -> "Streaming of " + target + " was turned on again; its next backup starts a chain.";
            case "stream-wal-warning" -> "The slot of " + target + " keeps less WAL again (or was dropped).";
            default -> "A newer restore drill of " + target + " succeeded.";
        };
    }

    private void alert(AlertEpisode e, Instant now) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("target", e.target);
        variables.put("problem", title(e.problem));
        variables.put("date", now.truncatedTo(ChronoUnit.SECONDS).toString());
        variables.put("reason", e.reason);
        variables.put("rpoAge", rpoAge(e.target, now));
        variables.put("action", action(e.problem, e.target));
        notification("backup-failure-alert", variables, "backup-alert-" + e.id, now);
    }

    private void recovered(AlertEpisode e, Instant now) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("target", e.target);
        variables.put("problem", title(e.problem));
        variables.put("date", now.truncatedTo(ChronoUnit.SECONDS).toString());
        variables.put("resolution", e.resolution);
        variables.put("rpoAge", rpoAge(e.target, now));
        notification("backup-recovered", variables, "backup-recovered-" + e.id, now);
    }

    private void notification(String template, Map<String, Object> variables, String key, Instant now) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("template", template);
        settings.alerts().channels().ifPresent(channels -> payload.put("channels", channels));
        payload.put("audience", settings.alerts().audience());
        payload.put("variables", variables);
        payload.put("idempotencyKey", key);
        OutboxMessage.enqueue(OutboxMessage.NOTIFICATION, payload, now);
    }

    private static String title(String problem) {
        return switch (problem) {
            case "rpo-breach" -> "RPO breach";
            case "backup-failed" -> "Backup failed";
            case "verification-failed" -> "Integrity verification failed";
            case "stream-stopped" -> "Change stream stopped";
            case "stream-wal-warning" -> "Change stream slot keeps WAL";
            default -> "Restore drill failed";
        };
    }

    private static String action(String problem, String target) {
        String backup = "POST /api/v1/backups {\"target\":\"" + target + "\",\"kind\":\"manual\"}";
        return switch (problem) {
            case "rpo-breach" -> "check the backup schedule (or its CronJob) and take a backup now: " + backup
                    + "; for a streamed target, check that backup-service streams it (GET /api/v1/targets/" + target
                    + "/stream, its log): a backup also starts a new chain.";
            case "backup-failed" -> "fix the cause named above, then take a backup: " + backup + ".";
            case "verification-failed" -> "do not rely on that backup: take a new one and verify it (POST /api/v1/drills "
                    + "{\"type\":\"integrity\",\"target\":\"" + target + "\"}).";
            case "stream-stopped" -> "find in backup-service's log why the stream fell behind, then turn it on again: "
                    + "POST /api/v1/targets/" + target + "/stream {\"enabled\":true}; the next backup starts a new chain.";
            case "stream-wal-warning" -> "check that backup-service streams " + target + " (GET /api/v1/targets/" + target
                    + "/stream, its log) and that the bucket takes its segments.";
            default -> "read the drill's failure (GET /api/v1/drills?target=" + target + ") and fix the restore path "
                    + "before it is needed.";
        };
    }

    private String rpoAge(String target, Instant now) {
        RecoveryPoints.Point point = points.of(target);
        return point.until() == null ? "(no good backup)" : human(Duration.between(point.until(), now));
    }

    private static Optional<Backup> newestGood(String target) {
        return Backup.<Backup>find("target = ?1 and phase = ?2", Sort.descending("startedAt"), target,
                BackupPhase.SUCCEEDED).firstResultOptional();
    }

    private static Optional<Drill> newestDrill(String target, Drill.Type type) {
        return Drill.<Drill>find("target = ?1 and type = ?2 and phase in ?3", Sort.descending("finishedAt"), target, type,
                List.of(JobPhase.SUCCEEDED, JobPhase.FAILED)).firstResultOptional();
    }

    private static String age(Backup b, Instant now) {
        return human(Duration.between(b.startedAt, now));
    }

    static String human(Duration d) {
        if (d.toSeconds() < 60) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        return hours < 48 ? hours + " h " + (minutes % 60) + " min" : (hours / 24) + " days";
    }
}
