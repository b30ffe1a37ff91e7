package ai.loopgpt.dr.recovery.outbox;

import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.common.outbox.OutboxRelay;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Incident messages to status-service and notification-service, sent by dr-common's
 * {@link OutboxRelay} (one replica, in order per peer: an update never overtakes the incident it
 * updates; backoff up to 5 minutes; a permanent refusal dead-lettered). What is this service's own:
 * each message already names its call (method and path, chosen when it was decided), and what a
 * taken message records: the notification it became (followed by {@link DeliveryWatch}) and, for
 * the call that opens the public incident, when it became visible.
 */
@ApplicationScoped
public class PeerOutbox implements OutboxRelay.Routes<PeerMessage> {

    private final OutboxRelay.Peer status;
    private final OutboxRelay.Peer notifications;
    private final ObjectMapper json;
    private final OutboxRelay<PeerMessage> relay;

    public PeerOutbox(RecoverySettings settings, ObjectMapper json, Leadership leadership, Clock clock) {
        RecoverySettings.Communication communication = settings.communication();
        this.status = new OutboxRelay.Peer("recovery.communication.status-url", communication.statusUrl(),
                "recovery.communication.token", communication.token());
        this.notifications = new OutboxRelay.Peer("recovery.communication.notification-url",
                communication.notificationUrl(), "recovery.communication.token", communication.token());
        this.json = json;
        this.relay = new OutboxRelay<>(PeerMessage.class, "recovery-outbox", Duration.ofMinutes(5), this, json, leadership,
                clock);
    }

    @Scheduled(every = "${recovery.communication.outbox-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        relay.roundIfLeading();
    }

    /** One round: every message due now; returns how many a peer took. */
    public int send() {
        return relay.round();
    }

    @Override
    public OutboxRelay.Call call(PeerMessage m) {
        return (PeerMessage.STATUS.equals(m.peer) ? status : notifications).call(m.method, m.path, m.body);
    }

    @Override
    public void taken(PeerMessage row, String answer) {
        if (PeerMessage.NOTIFICATION.equals(row.peer)) {
            row.notificationId = notificationId(answer).orElse(null);
            row.delivery = row.notificationId == null ? null : "pending";
        }
        if (row.publishes && row.incidentId != null) {
            Incident incident = Incident.findById(row.incidentId);
            if (incident != null && incident.publishedAt == null) {
                // When the page first showed it: a declaration re-sent after a crash finds the
                // incident already open there, and the page's answer says since when.
                // Kept between the declaration and this answer, whatever the two clocks say.
                Instant shown = shownSince(answer).orElse(row.sentAt);
                incident.publishedAt = shown.isBefore(incident.declaredAt) ? incident.declaredAt
                        : shown.isAfter(row.sentAt) ? row.sentAt : shown;
            }
        }
    }

    /** The id of the notification notification-service accepted (or had accepted, for a repeated key). */
    private Optional<UUID> notificationId(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            String id = json.readTree(body).path("id").asText(null);
            return id == null ? Optional.empty() : Optional.of(UUID.fromString(id));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The {@code startedAt} of status-service's answer to opening an incident, if it has one. */
    private Optional<Instant> shownSince(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            String startedAt = json.readTree(body).path("startedAt").asText(null);
            return startedAt == null ? Optional.empty()
                    : Optional.of(Instant.parse(startedAt).truncatedTo(ChronoUnit.MICROS));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
