package ai.loopgpt.dr.recovery.gameday;

import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.gameday.GameDayScenarios.StepFailed;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.outbox.DeliveryWatch;
import ai.loopgpt.dr.recovery.outbox.PeerMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A game day's messages as notification-service delivered them: every message of a scenario's
 * incident awaited until delivered (or dead), and the time to the first one delivered.
 */
@ApplicationScoped
class GameDayMessages {

    private final DeliveryWatch deliveries;
    private final GameDayRecords records;
    private final RecoverySettings settings;

    GameDayMessages(DeliveryWatch deliveries, GameDayRecords records, RecoverySettings settings) {
        this.deliveries = deliveries;
        this.records = records;
        this.settings = settings;
    }

    /** Declaration to the first message notification-service delivered, in seconds; null if none yet. */
    static Double firstMessage(Incident i) {
        return QuarkusTransaction.requiringNew().call(() -> PeerMessage.<PeerMessage>list(
                "incidentId = ?1 and deliveredAt is not null", i.id).stream().map(m -> m.deliveredAt)
                .min(Instant::compareTo).map(at -> Duration.between(i.declaredAt, at).toMillis() / 1000.0).orElse(null));
    }

    /** Waits until notification-service has delivered every message of the incident (asking it as it goes). */
    void awaitDelivered(UUID scenario, UUID incident) throws StepFailed, InterruptedException {
        long deadline = System.nanoTime() + settings.gameDay().deliveryTimeout().toNanos();
        while (true) {
            deliveries.check();
            List<PeerMessage> messages = QuarkusTransaction.requiringNew().call(() -> PeerMessage.<PeerMessage>list(
                    "incidentId = ?1 and peer = ?2", io.quarkus.panache.common.Sort.ascending("createdAt"), incident,
                    PeerMessage.NOTIFICATION));
            for (PeerMessage m : messages) {
                if (m.deadAt != null || "dead".equals(m.delivery)) {
                    throw new StepFailed(String.valueOf(m.body.get("template")), "the message to "
                            + m.body.get("audience") + " died: " + (m.deliveryDetail != null ? m.deliveryDetail : m.lastError));
                }
            }
            List<PeerMessage> waiting = messages.stream().filter(m -> !"delivered".equals(m.delivery)).toList();
            if (waiting.isEmpty()) {
                for (PeerMessage m : messages) {
                    records.action(scenario, String.valueOf(m.body.get("template")), "message", null, "DELIVERED",
                            m.deliveredAt == null ? null : Duration.between(m.createdAt, m.deliveredAt),
                            "to " + m.body.get("audience"));
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                PeerMessage first = waiting.get(0);
                throw new StepFailed(String.valueOf(first.body.get("template")), waiting.size() + " of " + messages.size()
                        + " messages not delivered within " + settings.gameDay().deliveryTimeout() + " (the first to "
                        + first.body.get("audience") + ": " + (first.sentAt == null ? "not taken by notification-service"
                        + (first.lastError != null ? ", " + first.lastError : "") : "still " + first.delivery) + ")");
            }
            Thread.sleep(settings.gameDay().pollEvery().toMillis());
        }
    }
}
