package ai.loopgpt.dr.notification.delivery;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.notification.Suppression;
import ai.loopgpt.dr.notification.config.NotifySettings;
import ai.loopgpt.dr.notification.template.TemplateRenderer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Accepts notifications: checks the template renders with the variables, resolves the audience,
 * and writes the notification and one delivery per recipient in one transaction. The same
 * idempotency key never sends twice.
 */
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);

    private final TemplateRenderer templates;
    private final NotifySettings settings;
    private final Clock clock;

    public NotificationService(TemplateRenderer templates, NotifySettings settings, Clock clock) {
        this.templates = templates;
        this.settings = settings;
        this.clock = clock;
    }

    /** The accepted notification, and whether this call created it (false: an earlier call with the same key did). */
    public record Accepted(Notification notification, boolean created) {
    }

    /** The audience of the status page's confirmed subscribers, filtered by the components concerned. */
    public static final String SUBSCRIBERS = "status-subscribers";

    /** Sends {@code template} to one address (confirmation mails), once per key. */
    public Accepted acceptDirect(String template, String recipient, java.util.UUID subscriberId,
            Map<String, Object> variables, String idempotencyKey) {
        Optional<Notification> existing = byKey(idempotencyKey);
        if (existing.isPresent()) {
            return new Accepted(existing.get(), false);
        }
        templates.render(template, variables);
        return store(template, "direct", variables, idempotencyKey, "notification-service",
                List.of(new Recipient(recipient, subscriberId)));
    }

    /** One address to deliver to, and the subscriber it belongs to, if any. */
    record Recipient(String address, java.util.UUID subscriberId) {
    }

    public Accepted accept(String template, List<String> channels, String audience, Map<String, Object> variables,
            String idempotencyKey, String requestedBy) {
        return accept(template, channels, audience, List.of(), variables, idempotencyKey, requestedBy);
    }

    public Accepted accept(String template, List<String> channels, String audience, List<String> components,
            Map<String, Object> variables, String idempotencyKey, String requestedBy) {
        Optional<Notification> existing = byKey(idempotencyKey);
        if (existing.isPresent()) {
            return new Accepted(existing.get(), false);
        }
        templates.render(template, variables);
        if (!channels.equals(List.of("email"))) {
            throw ProblemException.badRequest("Only the email channel is available in this version; got " + channels + ".");
        }
        List<Recipient> recipients;
        if (SUBSCRIBERS.equals(audience)) {
            recipients = QuarkusTransaction.requiringNew().call(() -> ai.loopgpt.dr.notification.Subscriber
                    .<ai.loopgpt.dr.notification.Subscriber>list("state", ai.loopgpt.dr.notification.Subscriber.State.CONFIRMED)
                    .stream().filter(s -> s.interestedIn(components)).map(s -> new Recipient(s.email, s.id)).toList());
        } else {
            List<String> addresses = settings.audiences().get(audience);
            if (addresses == null) {
                throw ProblemException.badRequest("Unknown audience '" + audience + "'. Audiences: " + SUBSCRIBERS + ", "
                        + String.join(", ", settings.audiences().keySet()) + ".");
            }
            recipients = addresses.stream().map(a -> new Recipient(a, null)).toList();
        }
        return store(template, audience, variables, idempotencyKey, requestedBy, recipients);
    }

    private Accepted store(String template, String audience, Map<String, Object> variables, String idempotencyKey,
            String requestedBy, List<Recipient> recipients) {
        try {
            Notification accepted = QuarkusTransaction.requiringNew().call(() -> {
                Notification n = new Notification();
                n.id = UUID.randomUUID();
                n.template = template;
                n.audience = audience;
                n.variables = variables;
                n.idempotencyKey = idempotencyKey;
                n.requestedBy = requestedBy;
                n.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
                n.persist();
                for (Recipient recipient : recipients) {
                    if (Suppression.covers(recipient.address())) {
                        continue;
                    }
                    Delivery d = new Delivery();
                    d.id = UUID.randomUUID();
                    d.notificationId = n.id;
                    d.channel = "email";
                    d.recipient = recipient.address();
                    d.subscriberId = recipient.subscriberId();
                    d.state = Delivery.State.PENDING;
                    d.nextAttemptAt = n.createdAt;
                    d.persist();
                }
                return n;
            });
            LOG.infof("Notification %s (%s to %s, %d recipients) accepted for %s", accepted.id, template, audience,
                    recipients.size(), requestedBy);
            return new Accepted(accepted, true);
        } catch (RuntimeException e) {
            if (ai.loopgpt.dr.common.problem.SqlErrors.isUniqueViolation(e)) {
                return new Accepted(byKey(idempotencyKey).orElseThrow(() -> e), false);
            }
            throw e;
        }
    }

    private static Optional<Notification> byKey(String key) {
        return QuarkusTransaction.requiringNew().call(
                () -> Notification.<Notification>find("idempotencyKey", key).firstResultOptional());
    }

    public Notification get(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.<Notification>findByIdOptional(id))
                .orElseThrow(() -> ProblemException.notFound("notification", id));
    }

    public List<Delivery> deliveries(UUID notificationId) {
        return QuarkusTransaction.requiringNew().call(() -> Delivery.<Delivery>list("notificationId", notificationId));
    }
}
