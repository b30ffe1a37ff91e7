package ai.loopgpt.dr.recovery.outbox;

import ai.loopgpt.dr.recovery.incident.Incident;

import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Delivery truth back to the sender: for each message notification-service took, asks it what
 * became of the notification (every delivery sent, or one dead-lettered, with the reason) and
 * records it on the message, so an incident shows which of its messages reached people and which
 * did not. A message that dies is a warning in this service's log.
 */
@ApplicationScoped
public class DeliveryWatch {

    private static final Logger LOG = Logger.getLogger(DeliveryWatch.class);
    /** How long a message is followed: after a week, what is still pending stays as last seen. */
    private static final Duration FOLLOWED = Duration.ofDays(7);

    private final RecoverySettings.Communication settings;
    private final ObjectMapper json;
    private final Leadership leadership;
    private final Clock clock;

    public DeliveryWatch(RecoverySettings settings, ObjectMapper json, Leadership leadership, Clock clock) {
        this.settings = settings.communication();
        this.json = json;
        this.leadership = leadership;
        this.clock = clock;
    }

    @Scheduled(every = "${recovery.communication.delivery-check-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (leadership.leads("recovery-delivery-watch")) {
            check();
        }
    }

    /** One round over the messages whose delivery is still pending. */
    public void check() {
        if (settings.notificationUrl().isEmpty() || settings.token().isEmpty()) {
            return;
        }
        Instant since = clock.instant().minus(FOLLOWED);
        List<PeerMessage> pending = QuarkusTransaction.requiringNew().call(() -> PeerMessage.<PeerMessage>list(
                "delivery = 'pending' and notificationId is not null and sentAt > ?1", since));
        String base = settings.notificationUrl().get().strip().replaceAll("/+$", "");
        for (PeerMessage m : pending) {
            JsonNode notification;
            try {
                HttpResponse<String> response = ai.loopgpt.dr.common.outbox.PeerCall.get(URI.create(base
                        + "/api/v1/notifications/" + m.notificationId), settings.token().get(), Duration.ofSeconds(10));
                if (response.statusCode() != 200) {
                    LOG.debugf("notification-service answered HTTP %d for notification %s", response.statusCode(),
                            m.notificationId);
                    continue;
                }
                notification = json.readTree(response.body());
            } catch (IOException | IllegalArgumentException e) {
                return; // Not answering now: the next round asks again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Outcome outcome = outcome(notification.path("deliveries"));
            if (outcome == null) {
                continue;
            }
            Instant now = clock.instant();
            QuarkusTransaction.requiringNew().run(() -> {
                PeerMessage row = PeerMessage.findById(m.id);
                row.delivery = outcome.state();
                row.deliveryDetail = outcome.detail();
                row.deliveryCheckedAt = now;
                row.deliveredAt = outcome.deliveredAt();
            });
            if ("dead".equals(outcome.state())) {
                LOG.warnf("Incident %s: its message %s to %s was dead-lettered at notification-service (%s)",
                        m.incidentId, m.body.get("template"), m.body.get("audience"), outcome.detail());
            }
        }
    }

    /** What became of a notification, from its deliveries; null while any is still pending. */
    record Outcome(String state, String detail, Instant deliveredAt) {
        Outcome(String state, String detail) {
            this(state, detail, null);
        }
    }

    static Outcome outcome(JsonNode deliveries) {
        if (!deliveries.isArray()) {
            return null;
        }
        if (deliveries.isEmpty()) {
            return new Outcome("delivered", "nobody to deliver to (an audience with no one in it now)");
        }
        boolean pending = false;
        Instant last = null;
        for (JsonNode d : deliveries) {
            if (d.hasNonNull("sentAt")) {
                try {
                    Instant sent = Instant.parse(d.get("sentAt").asText());
                    last = last == null || sent.isAfter(last) ? sent : last;
                } catch (java.time.format.DateTimeParseException notATime) {
                    // The delivery's time stays unknown; its state is what counts.
                }
            }
            String state = d.path("state").asText();
            if ("DEAD".equals(state)) {
                String error = ai.loopgpt.dr.common.text.Addresses.hidden(d.path("lastError").asText(""));
                return new Outcome("dead", d.path("channel").asText() + ": "
                        + (error.length() > 300 ? error.substring(0, 300) + "…" : error));
            }
            pending |= !"SENT".equals(state) && !"SUPPRESSED".equals(state);
        }
        return pending ? null : new Outcome("delivered", null, last);
    }
}
