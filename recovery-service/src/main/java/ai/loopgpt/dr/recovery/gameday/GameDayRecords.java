package ai.loopgpt.dr.recovery.gameday;

import ai.loopgpt.dr.common.job.JobPhase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The named transitions of a game day and its scenarios, each in its own transaction: what the
 * runner did is on record before it does the next thing, so a crash leaves a true record.
 */
@ApplicationScoped
public class GameDayRecords {

    private final Clock clock;

    public GameDayRecords(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A new game day, PENDING, with its scenarios in the plan's order. */
    GameDay create(UUID id, List<GameDayPlan> plan, String by) {
        return QuarkusTransaction.requiringNew().call(() -> {
            GameDay day = new GameDay();
            day.id = id;
            day.requestedBy = by;
            day.createdAt = now();
            day.phase = JobPhase.PENDING;
            day.persist();
            int position = 0;
            for (GameDayPlan scenario : plan) {
                GameDayScenario s = new GameDayScenario();
                s.id = UUID.randomUUID();
                s.gameDayId = id;
                s.position = position++;
                s.scenario = scenario.code();
                s.phase = GameDayScenario.Phase.PENDING;
                s.persist();
            }
            GameDay.getEntityManager().flush();
            return day;
        });
    }

    void markRunning(UUID gameDay) {
        QuarkusTransaction.requiringNew().run(() -> GameDay.<GameDay>findById(gameDay).moveTo(JobPhase.RUNNING, now()));
    }

    /** Ends the game day: FAILED when a scenario failed, with which and why; SUCCEEDED otherwise. */
    GameDay finish(UUID gameDay, Consumer<GameDay> alsoInTheTransaction) {
        return QuarkusTransaction.requiringNew().call(() -> {
            GameDay day = GameDay.findById(gameDay);
            List<String> failures = GameDayScenario.of(gameDay).stream().filter(s -> s.phase == GameDayScenario.Phase.FAILED)
                    .map(s -> s.scenario + " failed at " + s.failedStep + ": " + s.reason).toList();
            day.moveTo(failures.isEmpty() ? JobPhase.SUCCEEDED : JobPhase.FAILED, now());
            day.failureReason = failures.isEmpty() ? null : String.join("; ", failures);
            alsoInTheTransaction.accept(day);
            return day;
        });
    }

    void start(UUID scenario) {
        change(scenario, s -> {
            s.phase = GameDayScenario.Phase.RUNNING;
            s.startedAt = now();
        });
    }

    void incident(UUID scenario, UUID incident) {
        change(scenario, s -> s.incidentId = incident);
    }

    /** The runbook step the scenario is at. */
    void at(UUID scenario, String step) {
        change(scenario, s -> s.step = step);
    }

    /** An action it ran: what, where to see it, how it ended, how long it took. */
    void action(UUID scenario, String step, String kind, String link, String outcome, Duration took, String detail) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("step", step);
        action.put("kind", kind);
        action.put("link", link);
        action.put("outcome", outcome);
        action.put("seconds", took == null ? null : took.toMillis() / 1000.0);
        action.put("detail", detail);
        change(scenario, s -> {
            List<Map<String, Object>> all = new java.util.ArrayList<>(s.actions);
            all.add(action);
            s.actions = all;
        });
    }

    void rolledBack(UUID scenario, Map<String, Object> deployment) {
        change(scenario, s -> s.rolledBack = deployment);
    }

    void components(UUID scenario, Map<String, Map<String, String>> components) {
        change(scenario, s -> s.components = components);
    }

    void measured(UUID scenario, Double rto, Double rpo, Double firstMessage) {
        change(scenario, s -> {
            s.rtoSeconds = rto;
            s.rpoSeconds = rpo;
            s.firstMessageSeconds = firstMessage;
        });
    }

    void succeed(UUID scenario, String note) {
        end(scenario, GameDayScenario.Phase.SUCCEEDED, null, note);
    }

    void fail(UUID scenario, String step, String reason) {
        end(scenario, GameDayScenario.Phase.FAILED, step, reason);
    }

    void skip(UUID scenario, String reason) {
        end(scenario, GameDayScenario.Phase.SKIPPED, null, reason);
    }

    private void end(UUID scenario, GameDayScenario.Phase phase, String failedStep, String reason) {
        change(scenario, s -> {
            if (s.phase.isFinal()) {
                return;
            }
            s.phase = phase;
            s.failedStep = failedStep;
            s.reason = reason;
            s.finishedAt = now();
            if (s.startedAt == null) {
                s.startedAt = s.finishedAt;
            }
        });
    }

    GameDayScenario scenario(UUID scenario) {
        return QuarkusTransaction.requiringNew().call(() -> GameDayScenario.findById(scenario));
    }

    private void change(UUID scenario, Consumer<GameDayScenario> change) {
        QuarkusTransaction.requiringNew().run(() -> change.accept(GameDayScenario.findById(scenario)));
    }
}
