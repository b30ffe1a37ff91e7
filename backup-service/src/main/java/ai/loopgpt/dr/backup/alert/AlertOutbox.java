package ai.loopgpt.dr.backup.alert;

import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.common.outbox.OutboxRelay;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The alerts' outbox: alerts to notification-service and the Backups component's status to
 * status-service, sent by dr-common's {@link OutboxRelay} (one replica, in order per peer, backoff
 * up to 5 minutes, a permanent refusal dead-lettered). What is this service's own is how each kind
 * of message becomes a call.
 */
@ApplicationScoped
public class AlertOutbox implements OutboxRelay.Routes<OutboxMessage> {

    private final OutboxRelay.Peer notifications;
    private final OutboxRelay.Peer status;
    private final OutboxRelay<OutboxMessage> relay;

    public AlertOutbox(BackupSettings settings, ObjectMapper json, Leadership leadership, Clock clock) {
        BackupSettings.Alerts alerts = settings.alerts();
        this.notifications = new OutboxRelay.Peer("backup.alerts.notification-url", alerts.notificationUrl(),
                "backup.alerts.token", alerts.token());
        this.status = new OutboxRelay.Peer("backup.alerts.status-url", alerts.statusUrl(), "backup.alerts.token",
                alerts.token());
        this.relay = new OutboxRelay<>(OutboxMessage.class, "backup-outbox", Duration.ofMinutes(5), this, json, leadership,
                clock);
    }

    @Scheduled(every = "${backup.alerts.outbox-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        relay.roundIfLeading();
    }

    /** One round: every message due now; returns how many a peer took. */
    public int send() {
        return relay.round();
    }

    @Override
    public OutboxRelay.Call call(OutboxMessage m) {
        return switch (m.destination) {
            case OutboxMessage.NOTIFICATION -> notifications.call("POST", "/api/v1/notifications", m.payload);
            case OutboxMessage.COMPONENT -> status.call("PUT", "/api/v1/components/" + m.payload.get("component") + "/status",
                    Map.of("status", m.payload.get("status")));
            default -> throw new IllegalStateException("no peer for destination " + m.destination);
        };
    }
}
