package ai.loopgpt.dr.backup.alert;

import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.common.retry.Backoff;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Sends the outbox, oldest first, on the replica that leads it: alerts to notification-service and
 * the Backups component's status to status-service. A peer that fails holds back that peer's later
 * messages (so that the component ends in the last status decided) and is retried with backoff,
 * for as long as it takes; a permanent refusal dead-letters the one message.
 */
@ApplicationScoped
public class OutboxSender {

    private static final Logger LOG = Logger.getLogger(OutboxSender.class);
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final BackupSettings.Alerts settings;
    private final ObjectMapper json;
    private final Leadership leadership;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public OutboxSender(BackupSettings settings, ObjectMapper json, Leadership leadership, Clock clock) {
        this.settings = settings.alerts();
        this.json = json;
        this.leadership = leadership;
        this.clock = clock;
    }

    @Scheduled(every = "${backup.alerts.outbox-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (leadership.leads("backup-outbox")) {
            send();
        }
    }

    /** One round: every message due now, oldest first. */
    public void send() {
        List<OutboxMessage> queued = QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>find(
                "sentAt is null and deadAt is null", Sort.ascending("createdAt")).page(0, 100).list());
        Set<String> held = new HashSet<>();
        Instant now = clock.instant();
        for (OutboxMessage m : queued) {
            if (held.contains(m.destination)) {
                continue;
            }
            if (m.nextAttemptAt.isAfter(now)) {
                held.add(m.destination);
                continue;
            }
            Outcome outcome = deliver(m);
            QuarkusTransaction.requiringNew().run(() -> {
                OutboxMessage row = OutboxMessage.findById(m.id);
                row.attempts++;
                switch (outcome.kind) {
                    case SENT -> row.sentAt = clock.instant();
                    case DEAD -> {
                        row.deadAt = clock.instant();
                        row.lastError = outcome.error;
                    }
                    case RETRY -> {
                        row.lastError = outcome.error;
                        row.nextAttemptAt = clock.instant().plus(Backoff.after(row.attempts, MAX_WAIT));
                    }
                }
            });
            if (outcome.kind == Kind.RETRY) {
                held.add(m.destination);
                LOG.debugf("Outbox message %s to %s waits: %s", m.id, m.destination, outcome.error);
            } else if (outcome.kind == Kind.DEAD) {
                LOG.warnf("Outbox message %s to %s dead-lettered: %s", m.id, m.destination, outcome.error);
            }
        }
    }

    private enum Kind { SENT, RETRY, DEAD }

    private record Outcome(Kind kind, String error) {
    }

    private Outcome deliver(OutboxMessage m) {
        Optional<String> base = "notification".equals(m.destination) ? settings.notificationUrl() : settings.statusUrl();
        if (base.isEmpty() || settings.token().isEmpty()) {
            return new Outcome(Kind.RETRY, "backup.alerts." + ("notification".equals(m.destination) ? "notification-url"
                    : "status-url") + " and backup.alerts.token must be set to send this");
        }
        String root = base.get().replaceAll("/+$", "");
        try {
            HttpRequest.Builder request;
            if ("notification".equals(m.destination)) {
                request = HttpRequest.newBuilder(URI.create(root + "/api/v1/notifications"))
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(m.payload)));
            } else {
                request = HttpRequest.newBuilder(URI.create(root + "/api/v1/components/" + m.payload.get("component")
                        + "/status")).PUT(HttpRequest.BodyPublishers.ofString(
                        json.writeValueAsString(Map.of("status", m.payload.get("status")))));
            }
            HttpResponse<String> response = http.send(request.header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + settings.token().get()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(Kind.SENT, null);
            }
            String error = "HTTP " + status + ": " + response.body().substring(0, Math.min(500, response.body().length()));
            boolean permanent = status >= 400 && status < 500 && status != 408 && status != 425 && status != 429;
            return new Outcome(permanent ? Kind.DEAD : Kind.RETRY, error);
        } catch (IOException e) {
            return new Outcome(Kind.RETRY, "not answering (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.RETRY, "interrupted");
        }
    }
}
