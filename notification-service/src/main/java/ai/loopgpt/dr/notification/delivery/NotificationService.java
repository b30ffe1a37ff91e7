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

    public Accepted accept(String template, List<String> channels, String audience, Map<String, Object> variables,
            String idempotencyKey, String requestedBy) {
        Optional<Notification> existing = byKey(idempotencyKey);
        if (existing.isPresent()) {
            return new Accepted(existing.get(), false);
        }
        templates.render(template, variables);
        if (!channels.equals(List.of("email"))) {
            throw ProblemException.badRequest("Only the email channel is available in this version; got " + channels + ".");
        }
        List<String> recipients = settings.audiences().get(audience);
        if (recipients == null) {
            throw ProblemException.badRequest("Unknown audience '" + audience + "'. Audiences: "
                    + String.join(", ", settings.audiences().keySet()) + ".");
        }
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
                for (String recipient : recipients) {
                    if (Suppression.covers(recipient)) {
                        continue;
                    }
                    Delivery d = new Delivery();
                    d.id = UUID.randomUUID();
                    d.notificationId = n.id;
                    d.channel = "email";
                    d.recipient = recipient;
                    d.state = Delivery.State.PENDING;
                    d.nextAttemptAt = n.createdAt;
                    d.persist();
                }
                return n;
            });
            LOG.infof("Notification %s (%s to %s) accepted for %s", accepted.id, template, audience, requestedBy);
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
