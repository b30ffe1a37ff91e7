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
import java.util.UUID;
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
    /** How long a round holds what it claimed; renewed after each message sent. */
    static final Duration LEASE = Duration.ofMinutes(2);

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

    /**
     * Sends what is due, oldest first; returns how many were delivered. The batch is claimed for a
     * lease ({@code FOR UPDATE SKIP LOCKED}), so that replicas never take the same messages, and an
     * outcome is recorded only while this round's claim holds.
     */
    public synchronized int dispatch() {
        String claim = UUID.randomUUID().toString();
        List<OutboxMessage> due = claim(claim);
        int delivered = 0;
        try {
            for (OutboxMessage message : due) {
                Sent sent = send(message);
                String error = sent.error();
                boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
                    OutboxMessage m = OutboxMessage.findById(message.id);
                    if (!claim.equals(m.claimedBy) || m.deliveredAt != null) {
                        return false;
                    }
                    m.attempts++;
                    m.claimedBy = null;
                    m.claimedUntil = null;
                    if (error == null) {
                        m.deliveredAt = clock.instant();
                        m.lastError = null;
                    } else if (sent.permanent()) {
                        m.lastError = error;
                        m.deadAt = clock.instant();
                    } else {
                        m.lastError = error;
                        m.nextAttemptAt = clock.instant().plus(Backoff.after(m.attempts, MAX_BACKOFF));
                    }
                    return true;
                });
                if (!recorded) {
                    LOG.warnf("Outbox message %d: this round's claim ran out before its outcome was recorded", message.id);
                    break;
                }
                if (error == null) {
                    delivered++;
                    extend(claim);
                } else if (sent.permanent()) {
                    // Refused for good: dead-lettered, and the next ones go on.
                    LOG.warnf("Outbox message %d (%s) refused for good and dead-lettered: %s", message.id, message.kind, error);
                    extend(claim);
                } else {
                    LOG.warnf("Outbox message %d (%s) not delivered yet: %s", message.id, message.kind, error);
                    break; // keep the order: the next ones wait for this one
                }
            }
        } finally {
            release(claim);
        }
        return delivered;
    }

    private List<OutboxMessage> claim(String claim) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            @SuppressWarnings("unchecked")
            List<Long> ids = OutboxMessage.getEntityManager().createNativeQuery(
                    "SELECT id FROM {h-schema}outbox WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ?1"
                            + " AND (claimed_until IS NULL OR claimed_until < ?1) ORDER BY id LIMIT 100"
                            + " FOR UPDATE SKIP LOCKED", Long.class)
                    .setParameter(1, now).getResultList();
            if (ids.isEmpty()) {
                return List.of();
            }
            OutboxMessage.update("claimedBy = ?1, claimedUntil = ?2 where id in ?3", claim, now.plus(LEASE), ids);
            return OutboxMessage.<OutboxMessage>list("id in ?1", Sort.ascending("id"), ids);
        });
    }

    /** Keeps the lease of the messages this round still holds. */
    private void extend(String claim) {
        QuarkusTransaction.requiringNew().run(() -> OutboxMessage.update(
                "claimedUntil = ?1 where claimedBy = ?2", clock.instant().plus(LEASE), claim));
    }

    /** Gives back what this round claimed and did not get to. */
    private void release(String claim) {
        try {
            QuarkusTransaction.requiringNew().run(() -> OutboxMessage.update(
                    "claimedBy = null, claimedUntil = null where claimedBy = ?1", claim));
        } catch (RuntimeException e) {
            LOG.warnf("Could not release outbox claim %s (its lease runs out by itself): %s", claim, e.getMessage());
        }
    }

    /** What sending one message came to: no error, a failure worth retrying, or a refusal for good. */
    record Sent(String error, boolean permanent) {
        static final Sent OK = new Sent(null, false);

        static Sent status(int status) {
            if (status < 300) {
                return OK;
            }
            // 4xx says the message itself is wrong (retrying cannot help), except these, which say "later".
            boolean permanent = status >= 400 && status < 500 && status != 408 && status != 425 && status != 429;
            return new Sent("HTTP " + status, permanent);
        }
    }

    Sent send(OutboxMessage message) {
        try {
            var payload = new java.util.LinkedHashMap<>(message.payload);
            payload.put("idempotencyKey", message.idempotencyKey);
            try (Response response = "subscription".equals(message.kind) ? client.subscribe(payload) : client.notify(payload)) {
                Sent sent = Sent.status(response.getStatus());
                return sent.error() == null ? sent : new Sent(sent.error() + detail(response), sent.permanent());
            }
        } catch (WebApplicationException e) {
            Sent sent = Sent.status(e.getResponse().getStatus());
            return new Sent(sent.error() + detail(e.getResponse()), sent.permanent());
        } catch (ProcessingException e) {
            return new Sent("notification-service unreachable (" + e.getClass().getSimpleName() + ")", false);
        } catch (RuntimeException e) {
            return new Sent(e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        }
    }

    /** The problem's detail of a refusal, shortened, if notification-service gave one. */
    private static String detail(Response response) {
        try {
            if (response.hasEntity()) {
                String body = response.readEntity(String.class);
                int at = body.indexOf("\"detail\":\"");
                if (at >= 0) {
                    int end = body.indexOf('"', at + 10);
                    return ": " + ai.loopgpt.dr.common.problem.ProblemException.shorten(
                            body.substring(at + 10, end > 0 ? end : body.length()));
                }
            }
        } catch (RuntimeException ignored) {
            // No readable body: the status says enough.
        }
        return "";
    }

    /** Sends a dead message again at the next round; false if there is no dead message {@code id}. */
    public boolean retry(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OutboxMessage m = OutboxMessage.findById(id);
            if (m == null || m.deadAt == null) {
                return false;
            }
            m.deadAt = null;
            m.nextAttemptAt = clock.instant();
            return true;
        });
    }
}
