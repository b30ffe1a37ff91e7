package ai.loopgpt.dr.status.service;

import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.status.Component;
import ai.loopgpt.dr.status.ComponentStatus;
import ai.loopgpt.dr.status.Impact;
import ai.loopgpt.dr.status.Incident;
import ai.loopgpt.dr.status.IncidentStatus;
import ai.loopgpt.dr.status.config.StatusSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Checks each configured component over HTTP at its interval. After N consecutive failures (wrong
 * status, no answer) the component goes to major outage and an incident is opened by itself; the
 * first good answer resolves it. Consistently slow answers mark the component degraded. The response
 * time of every check answered as expected is kept for the page's charts ({@link ResponseTimes}).
 */
@ApplicationScoped
public class ProbeRunner {

    private static final Logger LOG = Logger.getLogger(ProbeRunner.class);

    private final StatusSettings settings;
    private final PublicIncidentService incidents;
    private final ComponentService components;
    private final Clock clock;
    private final Leadership leadership;
    private final ResponseTimes responseTimes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService checks = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "probe");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public ProbeRunner(StatusSettings settings, PublicIncidentService incidents, ComponentService components, Clock clock,
            Leadership leadership, ResponseTimes responseTimes) {
        this.leadership = leadership;
        this.responseTimes = responseTimes;
        this.settings = settings;
        this.incidents = incidents;
        this.components = components;
        this.clock = clock;
    }

    /** What a probe knows between checks. */
    static final class State {
        Instant next = Instant.EPOCH;
        boolean running;
        int failures;
        int slow;
        Instant lastCheckedAt;
        Result last;
    }

    /**
     * The outcome of one check. {@code problem} is what the public may read ("HTTP 503", "not
     * responding"), null when healthy; {@code detail} names the URL and the error, for operators only.
     */
    record Result(String problem, String detail, boolean slow, long millis) {
    }

    /** What an operator sees of a probe: its URL, last check and details (never shown to the public). */
    public record ProbeView(String component, java.net.URI url, int expectedStatus, Duration interval,
            int failuresToOpen, int consecutiveFailures, Instant lastCheckedAt, String lastProblem, String lastDetail,
            Long lastMillis, boolean checkedHere) {
    }

    /** The probes as this replica knows them (only the replica leading the probes checks them). */
    public java.util.List<ProbeView> views() {
        return settings.probes().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            State state = states.get(e.getKey());
            Result last = state == null ? null : state.last;
            return new ProbeView(e.getKey(), e.getValue().url(), e.getValue().expectedStatus(), e.getValue().interval(),
                    e.getValue().failuresToOpen(), state == null ? 0 : state.failures,
                    state == null ? null : state.lastCheckedAt, last == null ? null : last.problem(),
                    last == null ? null : last.detail(), last == null ? null : last.millis(), state != null);
        }).toList();
    }

    /** Probing is led by one replica at a time, so that two never open the same incident. */
    static final String JOB = "status-probes";

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (settings.probes().isEmpty() || !components.synced() || !leadership.leads(JOB)) {
            return;
        }
        Instant now = clock.instant();
        settings.probes().forEach((componentId, probe) -> {
            State state = states.computeIfAbsent(componentId, id -> new State());
            synchronized (state) {
                if (state.running || now.isBefore(state.next)) {
                    return;
                }
                state.running = true;
                state.next = now.plus(probe.interval());
            }
            checks.execute(() -> {
                try {
                    handle(componentId, probe, state, check(probe));
                } catch (RuntimeException e) {
                    LOG.warnf("Probe of %s could not record its result: %s", componentId, e.getMessage());
                } finally {
                    synchronized (state) {
                        state.running = false;
                    }
                }
            });
        });
    }

    Result check(StatusSettings.Probe probe) {
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(probe.url())
                    .timeout(probe.latencyThreshold().multipliedBy(5).plusSeconds(1)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (response.statusCode() != probe.expectedStatus()) {
                return new Result("HTTP " + response.statusCode(), probe.url() + " answered HTTP "
                        + response.statusCode() + " (expected " + probe.expectedStatus() + ")", false, millis);
            }
            return new Result(null, null, millis > probe.latencyThreshold().toMillis(), millis);
        } catch (IOException e) {
            return new Result("not responding", probe.url() + " did not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", false,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result("interrupted", "interrupted", false, 0);
        }
    }

    private void handle(String componentId, StatusSettings.Probe probe, State state, Result result) {
        Optional<Incident> open = QuarkusTransaction.requiringNew().call(() -> Incident.<Incident>find(
                "openedByProbe = ?1 and status not in ?2", componentId,
                java.util.List.of(IncidentStatus.RESOLVED, IncidentStatus.POSTMORTEM)).firstResultOptional());
        state.lastCheckedAt = clock.instant();
        state.last = result;
        if (result.problem() == null) {
            keep(componentId, state.lastCheckedAt, result.millis());
            state.failures = 0;
            state.slow = result.slow() ? state.slow + 1 : 0;
            if (open.isPresent()) {
                incidents.update(open.get().id, IncidentStatus.RESOLVED, "Recovered: the check answers again ("
                        + result.millis() + " ms). We keep watching.", Map.of(componentId, ComponentStatus.OPERATIONAL));
                LOG.infof("Probe of %s: recovered, incident %s resolved", componentId, open.get().id);
                return;
            }
            ComponentStatus wanted = state.slow >= probe.failuresToOpen() ? ComponentStatus.DEGRADED_PERFORMANCE
                    : state.slow == 0 ? ComponentStatus.OPERATIONAL : null;
            ComponentStatus current = currentStatus(componentId);
            // Probes move a component between operational and degraded only; they leave statuses set by people alone.
            if (wanted != null && current != wanted && (current == ComponentStatus.OPERATIONAL
                    || current == ComponentStatus.DEGRADED_PERFORMANCE)) {
                components.setStatus(componentId, wanted);
            }
            return;
        }
        state.failures++;
        LOG.infof("Probe of %s failed (%d of %d): %s", componentId, state.failures, probe.failuresToOpen(), result.detail());
        if (state.failures >= probe.failuresToOpen() && open.isEmpty() && leadership.leads(JOB)) {
            String name = componentName(componentId) + " is not responding";
            // The public text names the component and a plain reason; the URL and error stay in GET /api/v1/probes.
            Incident incident = incidents.open(name, IncidentStatus.INVESTIGATING, Impact.MAJOR,
                    "Our automatic checks found a problem: " + result.problem() + " (" + state.failures
                            + " checks in a row). We are investigating.",
                    Map.of(componentId, ComponentStatus.MAJOR_OUTAGE));
            QuarkusTransaction.requiringNew().run(() -> Incident.<Incident>findById(incident.id).openedByProbe = componentId);
            LOG.warnf("Probe of %s: opened incident %s", componentId, incident.id);
        }
    }

    /** Keeps the response time of an answered check for the page's charts; losing one changes no status. */
    private void keep(String componentId, Instant at, long millis) {
        try {
            responseTimes.record(componentId, at, millis);
        } catch (RuntimeException e) {
            LOG.warnf("Probe of %s: could not keep its response time: %s", componentId, e.getMessage());
        }
    }

    private static ComponentStatus currentStatus(String componentId) {
        return QuarkusTransaction.requiringNew().call(() -> Component.<Component>findByIdOptional(componentId)
                .map(c -> c.status).orElse(ComponentStatus.OPERATIONAL));
    }

    private static String componentName(String componentId) {
        return QuarkusTransaction.requiringNew().call(() -> Component.<Component>findByIdOptional(componentId)
                .map(c -> c.name).orElse(componentId));
    }
}
