package ai.loopgpt.dr.status.outbox;

import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.common.outbox.OutboxRelay;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Incident updates and new subscribers, to notification-service, sent by dr-common's
 * {@link OutboxRelay} (one replica, oldest first, backoff up to 10 minutes while it is down or
 * failing, never dropped; a permanent refusal dead-lettered until an operator retries it). What is
 * this service's own: its two kinds of message, each a POST with the message's idempotency key.
 */
@ApplicationScoped
public class NotificationOutbox implements OutboxRelay.Routes<OutboxMessage> {

    private final OutboxRelay.Peer notifications;
    private final OutboxRelay<OutboxMessage> relay;

    public NotificationOutbox(
            @ConfigProperty(name = "quarkus.rest-client.notification-service.url") Optional<String> url,
            @ConfigProperty(name = "status.notification-service.token") Optional<String> token,
            ObjectMapper json, Leadership leadership, Clock clock) {
        this.notifications = new OutboxRelay.Peer("quarkus.rest-client.notification-service.url", url,
                "status.notification-service.token", token);
        this.relay = new OutboxRelay<>(OutboxMessage.class, "status-outbox", Duration.ofMinutes(10), this, json,
                leadership, clock);
    }

    @Scheduled(every = "${status.outbox.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        relay.roundIfLeading();
    }

    /** One round: every message due now; returns how many notification-service took. */
    public int send() {
        return relay.round();
    }

    /** Sends a dead message again at the next round; false if there is no dead message {@code id}. */
    public boolean retry(long id) {
        return relay.retry(id);
    }

    @Override
    public OutboxRelay.Call call(OutboxMessage m) {
        Map<String, Object> body = new LinkedHashMap<>(m.payload);
        body.put("idempotencyKey", m.idempotencyKey);
        return notifications.call("POST", OutboxMessage.SUBSCRIPTION.equals(m.kind) ? "/api/v1/subscribers"
                : "/api/v1/notifications", body);
    }
}
