package ai.loopgpt.dr.notification.delivery;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.notification.Subscriber;
import ai.loopgpt.dr.notification.Suppression;
import ai.loopgpt.dr.notification.config.NotifySettings;
import ai.loopgpt.dr.notification.template.TemplateRenderer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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

    /** The channels a notification can go out on. */
    public static final List<String> CHANNELS = List.of("email", "slack", "webhook");

    /** Sends {@code template} to one address (confirmation mails), once per key. */
    public Accepted acceptDirect(String template, String recipient, UUID subscriberId,
            Map<String, Object> variables, String idempotencyKey) {
        Optional<Notification> existing = byKey(idempotencyKey);
        if (existing.isPresent()) {
            return new Accepted(existing.get(), false);
        }
        templates.render(template, variables);
        return store(template, "direct", variables, idempotencyKey, "notification-service",
                List.of(new Recipient("email", recipient, subscriberId)));
    }

    /** One place to deliver to: a channel, an address on it, and the subscriber it belongs to, if any. */
    record Recipient(String channel, String address, UUID subscriberId) {
    }

    public Accepted accept(String template, List<String> channels, String audience, Map<String, Object> variables,
            String idempotencyKey, String requestedBy) {
        return accept(template, channels, audience, List.of(), variables, idempotencyKey, requestedBy);
    }

    public Accepted accept(String template, List<String> channels, String audience, List<String> components,
            Map<String, Object> variables, String idempotencyKey, String requestedBy) {
        Optional<Notification> existing = byKey(idempotencyKey);
        if (existing.isPresent()) {
            sameAsBefore(existing.get(), template, audience, variables);
            return new Accepted(existing.get(), false);
        }
        templates.render(template, variables);
        if (channels == null) {
            channels = SUBSCRIBERS.equals(audience) ? List.of("email") : channelsOf(audience);
        }
        List<String> unknown = channels.stream().filter(c -> !CHANNELS.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw ProblemException.badRequest("Unknown channel(s) " + unknown + "; channels are " + CHANNELS + ".");
        }
        List<Recipient> recipients = new ArrayList<>();
        if (SUBSCRIBERS.equals(audience)) {
            if (!channels.equals(List.of("email"))) {
                throw ProblemException.badRequest("The " + SUBSCRIBERS + " audience is reached by email only; send it"
                        + " with channels [\"email\"].");
            }
            recipients.addAll(QuarkusTransaction.requiringNew().call(() -> Subscriber
                    .<Subscriber>list("state", Subscriber.State.CONFIRMED)
                    .stream().filter(s -> s.interestedIn(components)).map(s -> new Recipient("email", s.email, s.id)).toList()));
        } else {
            NotifySettings.Audience members = settings.audiences().get(audience);
            if (members == null) {
                throw ProblemException.badRequest("Unknown audience '" + audience + "'. Audiences: " + SUBSCRIBERS + ", "
                        + String.join(", ", settings.audiences().keySet()) + ".");
            }
            for (String channel : channels.stream().distinct().toList()) {
                List<String> addresses = switch (channel) {
                    case "email" -> members.email().orElse(List.of());
                    case "slack" -> members.slack().orElse(List.of());
                    default -> members.webhook().orElse(List.of());
                };
                if (addresses.isEmpty()) {
                    throw ProblemException.badRequest("Audience '" + audience + "' has no " + channel + " recipients; set"
                            + " notify.audiences.\"" + audience + "\"." + channel + " or leave " + channel + " out of channels.");
                }
                addresses.forEach(a -> recipients.add(new Recipient(channel, a, null)));
            }
        }
        return store(template, audience, variables, idempotencyKey, requestedBy, recipients);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * A repeated key must carry the same notification (a retry): one that names another template,
     * audience or variables is refused (422), as payment APIs refuse a reused key, never answered
     * with the earlier notification as if it had been sent.
     */
    static void sameAsBefore(Notification earlier, String template, String audience, Map<String, Object> variables) {
        boolean same = earlier.template.equals(template) && earlier.audience.equals(audience)
                && JSON.valueToTree(earlier.variables == null ? Map.of() : earlier.variables).equals(NUMBERS_BY_VALUE,
                        JSON.valueToTree(variables == null ? Map.of() : variables));
        if (!same) {
            throw new ProblemException(ai.loopgpt.dr.common.problem.ProblemType.UNPROCESSABLE, "idempotencyKey '"
                    + earlier.idempotencyKey + "' was used at " + earlier.createdAt + " for another notification ("
                    + earlier.template + " to " + earlier.audience + "): use a new key for a new notification.");
        }
    }

    /** Numbers compared by value (1 and 1L, 1.0 and 1 read back from the database are the same variable). */
    private static final java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /**
     * Every channel on which {@code audience} has recipients, for a message sent without channels; an
     * audience with none is refused, never accepted to reach nobody.
     */
    List<String> channelsOf(String audience) {
        NotifySettings.Audience members = settings.audiences().get(audience);
        if (members == null) {
            return List.of("email");
        }
        List<String> channels = channels(members);
        if (channels.isEmpty()) {
            throw ProblemException.badRequest("Audience '" + audience + "' has no recipient on any channel; set"
                    + " notify.audiences.\"" + audience + "\".email, .slack or .webhook.");
        }
        return channels;
    }

    /** The channels on which {@code members} has at least one recipient, in {@link #CHANNELS} order. */
    public static List<String> channels(NotifySettings.Audience members) {
        List<String> channels = new ArrayList<>();
        if (!members.email().orElse(List.of()).isEmpty()) {
            channels.add("email");
        }
        if (!members.slack().orElse(List.of()).isEmpty()) {
            channels.add("slack");
        }
        if (!members.webhook().orElse(List.of()).isEmpty()) {
            channels.add("webhook");
        }
        return channels;
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
                java.util.Set<String> suppressed = Suppression.among(recipients.stream()
                        .filter(r -> "email".equals(r.channel())).map(Recipient::address).toList());
                for (Recipient recipient : recipients) {
                    if ("email".equals(recipient.channel()) && suppressed.contains(Suppression.normalize(recipient.address()))) {
                        continue;
                    }
                    Delivery d = new Delivery();
                    d.id = UUID.randomUUID();
                    d.notificationId = n.id;
                    d.channel = recipient.channel();
                    d.recipient = recipient.address();
                    d.subscriberId = recipient.subscriberId();
                    d.state = Delivery.State.PENDING;
                    d.nextAttemptAt = n.createdAt;
                    d.persist();
                }
                return n;
            });
            LOG.infof("Notification %s (%s to %s, %d deliveries) accepted for %s", accepted.id, template, audience,
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

    /** Notifications, newest first, each with how many of its deliveries are in each state. */
    public ai.loopgpt.dr.common.web.PageOf<Map.Entry<Notification, Map<Delivery.State, Long>>> list(int page, int size,
            String template) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = template == null
                    ? Notification.<Notification>findAll(io.quarkus.panache.common.Sort.descending("createdAt"))
                    : Notification.<Notification>find("template", io.quarkus.panache.common.Sort.descending("createdAt"), template);
            List<Notification> found = query.page(page, size).list();
            Map<UUID, Map<Delivery.State, Long>> counts = new java.util.HashMap<>();
            if (!found.isEmpty()) {
                Delivery.getEntityManager().createQuery("select d.notificationId, d.state, count(d) from Delivery d"
                                + " where d.notificationId in :ids group by d.notificationId, d.state", Object[].class)
                        .setParameter("ids", found.stream().map(n -> n.id).toList()).getResultList()
                        .forEach(row -> counts.computeIfAbsent((UUID) row[0], k -> new java.util.EnumMap<>(Delivery.State.class))
                                .put((Delivery.State) row[1], (Long) row[2]));
            }
            return new ai.loopgpt.dr.common.web.PageOf<>(found.stream()
                    .map(n -> Map.entry(n, counts.getOrDefault(n.id, Map.of()))).toList(), page, size, query.count());
        });
    }

    /** One page of a notification's deliveries, optionally in one state, oldest first. */
    public ai.loopgpt.dr.common.web.PageOf<Delivery> deliveries(UUID notificationId, Delivery.State state, int page, int size) {
        get(notificationId);
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = state == null
                    ? Delivery.<Delivery>find("notificationId", io.quarkus.panache.common.Sort.ascending("recipient"), notificationId)
                    : Delivery.<Delivery>find("notificationId = ?1 and state = ?2",
                            io.quarkus.panache.common.Sort.ascending("recipient"), notificationId, state);
            return new ai.loopgpt.dr.common.web.PageOf<>(query.page(page, size).list(), page, size, query.count());
        });
    }

    public List<Delivery> deliveries(UUID notificationId) {
        return QuarkusTransaction.requiringNew().call(() -> Delivery.<Delivery>list("notificationId", notificationId));
    }
}
