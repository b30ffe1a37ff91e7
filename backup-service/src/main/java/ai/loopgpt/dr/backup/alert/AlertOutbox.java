package ai.loopgpt.dr.backup.alert;

import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.common.outbox.PeerCall;
import ai.loopgpt.dr.common.retry.Backoff;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
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
            PeerCall.Outcome outcome = deliver(m);
            QuarkusTransaction.requiringNew().run(() -> {
                OutboxMessage row = OutboxMessage.findById(m.id);
                row.attempts++;
                switch (outcome.kind()) {
                    case SENT -> row.sentAt = clock.instant();
                    case DEAD -> {
                        row.deadAt = clock.instant();
                        row.lastError = outcome.error();
                    }
                    case RETRY -> {
                        row.lastError = outcome.error();
                        row.nextAttemptAt = clock.instant().plus(Backoff.after(row.attempts, MAX_WAIT));
                    }
                }
            });
            if (outcome.kind() == PeerCall.Kind.RETRY) {
                held.add(m.destination);
                LOG.debugf("Outbox message %s to %s waits: %s", m.id, m.destination, outcome.error());
            } else if (outcome.kind() == PeerCall.Kind.DEAD) {
                LOG.warnf("Outbox message %s to %s dead-lettered: %s", m.id, m.destination, outcome.error());
            }
        }
    }

    private PeerCall.Outcome deliver(OutboxMessage m) {
        Optional<String> base = "notification".equals(m.destination) ? settings.notificationUrl() : settings.statusUrl();
        if (base.isEmpty() || settings.token().isEmpty()) {
            return new PeerCall.Outcome(PeerCall.Kind.RETRY, "backup.alerts." + ("notification".equals(m.destination)
                    ? "notification-url" : "status-url") + " and backup.alerts.token must be set to send this");
        }
        String root = base.get().replaceAll("/+$", "");
        try {
            return "notification".equals(m.destination)
                    ? PeerCall.send("POST", URI.create(root + "/api/v1/notifications"), settings.token().get(),
                            json.writeValueAsString(m.payload))
                    : PeerCall.send("PUT", URI.create(root + "/api/v1/components/" + m.payload.get("component") + "/status"),
                            settings.token().get(), json.writeValueAsString(Map.of("status", m.payload.get("status"))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
