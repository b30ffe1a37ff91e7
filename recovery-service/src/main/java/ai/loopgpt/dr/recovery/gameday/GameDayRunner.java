package ai.loopgpt.dr.recovery.gameday;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.OrphanReaper;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.problem.SqlErrors;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.outbox.PeerMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Runs game days: the plan's test scenarios one after another on one replica, which holds the game
 * day's advisory lock while it runs; a scenario that fails stops there and the next one still
 * runs. A game day a stopped replica left is settled by the reaper of another (or of the next
 * start): the scenario it was in ends FAILED ("Interrupted") after what it changed is undone, the
 * scenarios it had not reached are skipped, and the game day ends FAILED.
 */
@ApplicationScoped
public class GameDayRunner {

    private static final Logger LOG = Logger.getLogger(GameDayRunner.class);
    /** The lock space of game days ("DRG1"). */
    static final int LOCK_SPACE = 0x44524731;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(java.time.ZoneOffset.UTC);

    private final GameDayRecords records;
    private final GameDayScenarios scenarios;
    private final RecoverySettings settings;
    private final AdvisoryLocks locks;
    private final OrphanReaper<GameDay> orphans;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "game-day");
        t.setDaemon(true);
        return t;
    });

    public GameDayRunner(GameDayRecords records, GameDayScenarios scenarios, RecoverySettings settings,
            AdvisoryLocks locks) {
        this.records = records;
        this.scenarios = scenarios;
        this.settings = settings;
        this.locks = locks;
        this.orphans = new OrphanReaper<>("game day",
                () -> QuarkusTransaction.requiringNew().call(() -> GameDay.<GameDay>list("phase in ?1", JobPhase.OPEN)),
                d -> locks.tryLock(LOCK_SPACE, d.id.toString()), this::settle);
    }

    /** Starts a game day of {@code plan} (all four scenarios when empty), in the plan's order. */
    public GameDay start(List<GameDayPlan> plan, String by) {
        List<GameDayPlan> ordered = plan == null || plan.isEmpty() ? List.of(GameDayPlan.values())
                : java.util.Arrays.stream(GameDayPlan.values()).filter(plan::contains).toList();
        UUID id = UUID.randomUUID();
        AdvisoryLocks.Held ownership = locks.tryLock(LOCK_SPACE, id.toString());
        GameDay day;
        try {
            day = records.create(id, ordered, by);
        } catch (RuntimeException e) {
            ownership.close();
            if (SqlErrors.isUniqueViolation(e)) {
                String running = QuarkusTransaction.requiringNew().call(() -> GameDay.<GameDay>find("phase in ?1",
                        JobPhase.OPEN).firstResultOptional().map(d -> " (" + d.id + ", GET /api/v1/drills/game-days/"
                        + d.id + ")").orElse(""));
                throw ProblemException.conflict("A game day is already running" + running + "; wait for its end.");
            }
            throw e;
        }
        try {
            worker.execute(() -> {
                try (ownership) {
                    run(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    LOG.warnf("Game day %s interrupted: the service is stopping; the reaper settles it", id);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Game day %s could not be run to its end; the reaper settles it", id);
                }
            });
        } catch (RejectedExecutionException e) {
            ownership.close();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "recovery-service is shutting down; retry on "
                    + "another replica.");
        }
        LOG.infof("Game day %s started by %s: %s", id, by, ordered.stream().map(GameDayPlan::code).toList());
        return day;
    }

    private void run(UUID id) throws InterruptedException {
        records.markRunning(id);
        for (GameDayScenario scenario : QuarkusTransaction.requiringNew().call(() -> GameDayScenario.of(id))) {
            scenarios.run(id, scenario);
            GameDayScenario ended = records.scenario(scenario.id);
            LOG.infof("Game day %s: %s %s%s", id, ended.scenario, ended.phase, ended.reason == null ? ""
                    : " (" + (ended.failedStep != null ? "at " + ended.failedStep + ": " : "") + ended.reason + ")");
        }
        finish(id);
    }

    /** Ends the game day and sends its one-page summary to the team. */
    private void finish(UUID id) {
        GameDay day = records.finish(id, d -> summary(d, GameDayScenario.of(id)));
        LOG.infof("Game day %s: %s%s", id, day.phase, day.failureReason == null ? "" : " (" + day.failureReason + ")");
    }

    /** The one-page summary to the team's audience, in the transaction that ends the game day. */
    private void summary(GameDay day, List<GameDayScenario> all) {
        long failed = all.stream().filter(s -> s.phase == GameDayScenario.Phase.FAILED).count();
        StringBuilder lines = new StringBuilder();
        for (GameDayScenario s : all) {
            lines.append("- ").append(GameDayPlan.of(s.scenario).title()).append(": ").append(s.phase);
            if (s.rtoSeconds != null) {
                lines.append(", RTO ").append(seconds(s.rtoSeconds)).append(" (objective ")
                        .append(seconds(settings.rto().toSeconds())).append(")");
            }
            if (s.rpoSeconds != null) {
                lines.append(", RPO ").append(seconds(s.rpoSeconds)).append(" (objective ")
                        .append(seconds(settings.rpo().toSeconds())).append(")");
            }
            if (s.firstMessageSeconds != null) {
                lines.append(", first message after ").append(seconds(s.firstMessageSeconds));
            }
            if (s.reason != null) {
                lines.append(s.phase == GameDayScenario.Phase.FAILED ? "; failed at " + s.failedStep + ": " : "; ")
                        .append(s.reason);
            }
            lines.append('\n');
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("date", DATE.format(day.startedAt != null ? day.startedAt : day.createdAt));
        variables.put("result", failed == 0 ? "passed" : failed + " of " + all.size() + " scenarios failed");
        variables.put("summary", lines.toString().strip());
        variables.put("id", day.id.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("template", "game-day-summary");
        settings.communication().teamChannels().ifPresent(c -> body.put("channels", c));
        body.put("audience", settings.communication().teamAudience());
        body.put("variables", variables);
        body.put("idempotencyKey", "game-day-" + day.id + "-summary");
        PeerMessage.notification(body, null, records.now());
    }

    static String seconds(double seconds) {
        long s = Math.round(seconds);
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h " + (s % 3600) / 60 + " min";
    }

    /** A game day nobody runs: the scenario it was in is undone and ends FAILED, the rest are skipped. */
    private void settle(GameDay candidate) throws Exception {
        GameDay day = QuarkusTransaction.requiringNew().call(() -> GameDay.<GameDay>findById(candidate.id));
        if (day.phase.isFinal()) {
            return;
        }
        for (GameDayScenario s : QuarkusTransaction.requiringNew().call(() -> GameDayScenario.of(day.id))) {
            if (s.phase == GameDayScenario.Phase.PENDING) {
                records.skip(s.id, "not run: the game day was interrupted before it");
            } else if (s.phase == GameDayScenario.Phase.RUNNING) {
                try {
                    scenarios.undo(s.id);
                } catch (GameDayScenarios.StepFailed e) {
                    throw new IllegalStateException(e.getMessage());
                }
                String reason = "Interrupted: the recovery-service replica running the game day stopped during "
                        + (s.step != null ? "step " + s.step : "its start") + "; what it changed was undone";
                if (s.incidentId != null) {
                    scenarios.close(s.id, s.incidentId, GameDayPlan.of(s.scenario).title(), s.step, reason);
                }
                records.fail(s.id, s.step, reason);
            }
        }
        finish(day.id);
    }

    public GameDay get(UUID id) {
        return GameDay.<GameDay>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("game day", id));
    }

    /** The game days started since {@code since}, newest first. */
    public List<GameDay> since(Instant since) {
        return GameDay.list("createdAt >= ?1", Sort.descending("createdAt", "id"), since);
    }

    void onStart(@Observes StartupEvent start) {
        OrphanReaper.atStartup("game day", this::reap);
    }

    @Scheduled(every = "${recovery.reaper-every:30s}", delayed = "${recovery.reaper-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        orphans.reap();
    }

    void onStop(@Observes ShutdownEvent stop) {
        worker.shutdownNow();
    }
}
