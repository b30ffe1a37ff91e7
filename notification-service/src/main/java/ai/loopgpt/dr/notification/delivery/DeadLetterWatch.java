package ai.loopgpt.dr.notification.delivery;

import ai.loopgpt.dr.common.outbox.PeerCall;
import ai.loopgpt.dr.notification.config.NotifySettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * A message to the suite's own people (an alert, an incident message: any audience but the status
 * page's subscribers) that died undelivered raises status-service's internal Notifications
 * component to degraded_performance, so that the sender's belief "alerted" does not stand alone;
 * once no such dead letter is left from the last 24 hours (sent again, say), the component is
 * operational again. Only these two states are set: a status an operator chose (a major outage)
 * is never lowered by the watch.
 */
@ApplicationScoped
public class DeadLetterWatch {

    private static final Logger LOG = Logger.getLogger(DeadLetterWatch.class);

    /** Dead letters older than this no longer hold the component up (the self-check's window too). */
    public static final Duration WINDOW = Duration.ofHours(24);

    static final String RAISED = "degraded_performance";
    static final String CLEAR = "operational";

    private final NotifySettings.StatusPeer peer;
    private final ObjectMapper json;
    private volatile String lastProblem;

    public DeadLetterWatch(NotifySettings settings, ObjectMapper json) {
        this.peer = settings.status();
        this.json = json;
    }

    /** Dead deliveries of messages to the suite's own audiences created within {@link #WINDOW}. */
    public static long internalDeadLetters(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> Delivery.getEntityManager().createQuery(
                "select count(d) from Delivery d, Notification n where d.notificationId = n.id and d.state = :dead "
                        + "and n.audience <> :subscribers and n.createdAt > :since", Long.class)
                .setParameter("dead", Delivery.State.DEAD)
                .setParameter("subscribers", NotificationService.SUBSCRIBERS)
                .setParameter("since", now.minus(WINDOW)).getSingleResult());
    }

    @Scheduled(every = "${notify.status.every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        if (peer.url().isEmpty() || peer.token().isEmpty()) {
            return;
        }
        String wanted = internalDeadLetters(Instant.now()) > 0 ? RAISED : CLEAR;
        String root = peer.url().get().replaceAll("/+$", "");
        try {
            HttpResponse<String> list = PeerCall.get(URI.create(root + "/api/v1/components"), peer.token().get(),
                    Duration.ofSeconds(10));
            if (list.statusCode() != 200) {
                problem("status-service answered HTTP " + list.statusCode() + " to the component list");
                return;
            }
            String current = null;
            for (JsonNode component : json.readTree(list.body())) {
                if (peer.component().equals(component.path("id").asText())) {
                    current = component.path("status").asText();
                }
            }
            if (current == null) {
                problem("status-service has no component '" + peer.component() + "' (notify.status.component): "
                        + "add it (shown=false) to status.components");
                return;
            }
            boolean raise = RAISED.equals(wanted) && CLEAR.equals(current);
            boolean lower = CLEAR.equals(wanted) && RAISED.equals(current);
            if (!raise && !lower) {
                lastProblem = null;
                return;
            }
            PeerCall.Outcome outcome = PeerCall.send("PUT", URI.create(root + "/api/v1/components/" + peer.component()
                    + "/status"), peer.token().get(), "{\"status\":\"" + wanted + "\"}");
            if (outcome.kind() != PeerCall.Kind.SENT) {
                problem("status-service refused the component's status: " + outcome.error());
                return;
            }
            lastProblem = null;
            if (raise) {
                LOG.warnf("Messages to the suite's own audiences were dead-lettered: component '%s' set to %s "
                        + "(drctl doctor lists them)", peer.component(), wanted);
            } else {
                LOG.infof("No dead letters left: component '%s' operational again", peer.component());
            }
        } catch (java.io.IOException e) {
            problem("status-service did not answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Logged once for as long as it lasts. */
    private void problem(String text) {
        if (!text.equals(lastProblem)) {
            LOG.warnf("Could not compare dead letters with status-service: %s", text);
            lastProblem = text;
        }
    }
}
