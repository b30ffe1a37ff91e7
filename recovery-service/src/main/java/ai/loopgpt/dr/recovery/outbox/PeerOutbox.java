package ai.loopgpt.dr.recovery.outbox;

import ai.loopgpt.dr.common.lock.Leadership;
import ai.loopgpt.dr.common.outbox.PeerCall;
import ai.loopgpt.dr.common.retry.Backoff;
import ai.loopgpt.dr.recovery.Incident;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends the outbox, oldest first, on the replica that leads it. A peer that fails holds back its
 * later messages (an update never overtakes the incident it updates) and is retried with backoff for
 * as long as it takes; a permanent refusal dead-letters the one message. The call that opens the
 * public incident records when it became visible.
 */
@ApplicationScoped
public class PeerSender {

    private static final Logger LOG = Logger.getLogger(PeerSender.class);
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final RecoverySettings.Communication settings;
    private final ObjectMapper json;
    private final Leadership leadership;
    private final Clock clock;

    public PeerSender(RecoverySettings settings, ObjectMapper json, Leadership leadership, Clock clock) {
        this.settings = settings.communication();
        this.json = json;
        this.leadership = leadership;
        this.clock = clock;
    }

    @Scheduled(every = "${recovery.communication.outbox-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (leadership.leads("recovery-outbox")) {
            send();
        }
    }

    /** One round: every message due now, oldest first. */
    public void send() {
        List<PeerMessage> queued = QuarkusTransaction.requiringNew().call(() -> PeerMessage.<PeerMessage>find(
                "sentAt is null and deadAt is null", Sort.ascending("createdAt")).page(0, 100).list());
        Set<String> held = new HashSet<>();
        Instant now = clock.instant();
        for (PeerMessage m : queued) {
            if (held.contains(m.peer)) {
                continue;
            }
            if (m.nextAttemptAt.isAfter(now)) {
                held.add(m.peer);
                continue;
            }
            PeerCall.Outcome outcome = deliver(m);
            QuarkusTransaction.requiringNew().run(() -> {
                PeerMessage row = PeerMessage.findById(m.id);
                row.attempts++;
                switch (outcome.kind()) {
                    case SENT -> {
                        row.sentAt = clock.instant();
                        if ("notification".equals(row.peer)) {
                            row.notificationId = notificationId(outcome.body()).orElse(null);
                            row.delivery = row.notificationId == null ? null : "pending";
                        }
                        if (row.publishes && row.incidentId != null) {
                            Incident incident = Incident.findById(row.incidentId);
                            if (incident != null && incident.publishedAt == null) {
                                // When the page first showed it: a declaration re-sent after a crash finds the
                                // incident already open there, and the page's answer says since when.
                                // Kept between the declaration and this answer, whatever the two clocks say.
                                Instant shown = shownSince(outcome.body()).orElse(row.sentAt);
                                incident.publishedAt = shown.isBefore(incident.declaredAt) ? incident.declaredAt
                                        : shown.isAfter(row.sentAt) ? row.sentAt : shown;
                            }
                        }
                    }
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
                held.add(m.peer);
                LOG.debugf("Message %s to %s waits: %s", m.id, m.peer, outcome.error());
            } else if (outcome.kind() == PeerCall.Kind.DEAD) {
                LOG.warnf("Message %s to %s (%s %s) dead-lettered: %s", m.id, m.peer, m.method, m.path, outcome.error());
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
            return startedAt == null ? Optional.empty() : Optional.of(Instant.parse(startedAt).truncatedTo(
                    java.time.temporal.ChronoUnit.MICROS));
        } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private PeerCall.Outcome deliver(PeerMessage m) {
        Optional<String> base = "status".equals(m.peer) ? settings.statusUrl() : settings.notificationUrl();
        if (base.isEmpty() || settings.token().isEmpty()) {
            return new PeerCall.Outcome(PeerCall.Kind.RETRY, "recovery.communication." + m.peer
                    + "-url and recovery.communication.token must be set to send this");
        }
        try {
            return PeerCall.send(m.method, URI.create(base.get().replaceAll("/+$", "") + m.path), settings.token().get(),
                    json.writeValueAsString(m.body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
