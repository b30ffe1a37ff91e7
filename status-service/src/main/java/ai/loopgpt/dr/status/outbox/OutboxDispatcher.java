package ai.loopgpt.dr.status.outbox;

import ai.loopgpt.dr.common.retry.Backoff;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox to notification-service in order, retrying with exponential backoff and
 * jitter (capped at 10 minutes) while it is down or failing; never drops a message.
 */
@ApplicationScoped
public class OutboxDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final NotificationClient client;
    private final Clock clock;

    public OutboxDispatcher(@RestClient NotificationClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Scheduled(every = "${status.outbox.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        dispatch();
    }

    /** Sends what is due; returns how many were delivered. */
    public synchronized int dispatch() {
        Instant now = clock.instant();
        List<OutboxMessage> due = QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>find(
                "deliveredAt is null and nextAttemptAt <= ?1", Sort.ascending("id"), now).page(0, 100).list());
        int delivered = 0;
        for (OutboxMessage message : due) {
            String error = send(message);
            QuarkusTransaction.requiringNew().run(() -> {
                OutboxMessage m = OutboxMessage.findById(message.id);
                m.attempts++;
                if (error == null) {
                    m.deliveredAt = clock.instant();
                    m.lastError = null;
                } else {
                    m.lastError = error;
                    m.nextAttemptAt = clock.instant().plus(Backoff.after(m.attempts, MAX_BACKOFF));
                }
            });
            if (error == null) {
                delivered++;
            } else {
                LOG.warnf("Outbox message %d (%s) not delivered yet: %s", message.id, message.kind, error);
                break; // keep the order: the next ones wait for this one
            }
        }
        return delivered;
    }


    @Timeout(10_000)
    String send(OutboxMessage message) {
        try {
            var payload = new java.util.LinkedHashMap<>(message.payload);
            payload.put("idempotencyKey", message.idempotencyKey);
            try (Response response = "subscription".equals(message.kind) ? client.subscribe(payload) : client.notify(payload)) {
                return response.getStatus() < 300 ? null : "HTTP " + response.getStatus();
            }
        } catch (WebApplicationException e) {
            return "HTTP " + e.getResponse().getStatus();
        } catch (ProcessingException e) {
            return "notification-service unreachable (" + e.getClass().getSimpleName() + ")";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
