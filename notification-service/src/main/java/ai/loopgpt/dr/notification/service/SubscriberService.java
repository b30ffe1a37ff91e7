package ai.loopgpt.dr.notification.service;

import ai.loopgpt.dr.notification.Subscriber;
import ai.loopgpt.dr.notification.Suppression;
import ai.loopgpt.dr.notification.config.NotifySettings;
import ai.loopgpt.dr.notification.delivery.NotificationService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Subscriptions with double opt-in: a request (re)sends a confirmation mail with a single-use
 * token; only confirmed subscribers receive updates; every mail carries a one-click unsubscribe.
 * Answers never say whether an address was already subscribed.
 */
@ApplicationScoped
public class SubscriberService {

    private static final Logger LOG = Logger.getLogger(SubscriberService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NotificationService notifications;
    private final NotifySettings settings;
    private final Clock clock;

    public SubscriberService(NotificationService notifications, NotifySettings settings, Clock clock) {
        this.notifications = notifications;
        this.settings = settings;
        this.clock = clock;
    }

    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the request and mails a confirmation link (unless the address is suppressed). */
    public void subscribe(String email, List<String> components) {
        String address = Suppression.normalize(email);
        String confirm = token();
        Subscriber subscriber = QuarkusTransaction.requiringNew().call(() -> {
            Subscriber s = Subscriber.<Subscriber>find("lower(email) = ?1", address).firstResultOptional().orElse(null);
            if (s == null) {
                s = new Subscriber();
                s.id = UUID.randomUUID();
                s.email = address;
                s.createdAt = clock.instant();
                s.unsubscribeToken = token();
                s.state = Subscriber.State.PENDING;
            }
            s.components = String.join(",", components);
            if (s.state != Subscriber.State.CONFIRMED) {
                s.state = Subscriber.State.PENDING;
                s.confirmTokenHash = hash(confirm);
            }
            s.persist();
            return s;
        });
        if (subscriber.state == Subscriber.State.PENDING && !Suppression.covers(address)) {
            notifications.acceptDirect("subscription-confirmation", address, null,
                    Map.of("link", settings.publicUrl() + "/api/v1/subscribers/confirm?token=" + confirm),
                    "confirm-" + subscriber.id + "-" + hash(confirm).substring(0, 16));
        }
        LOG.info("Subscription requested");
    }

    /** Confirms the subscription holding {@code token}; the token works once. */
    public Optional<Subscriber> confirm(String token) {
        String hashed = hash(token == null ? "" : token);
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Subscriber> found = Subscriber.<Subscriber>find("confirmTokenHash", hashed).firstResultOptional();
            found.ifPresent(s -> {
                s.state = Subscriber.State.CONFIRMED;
                s.confirmTokenHash = null;
                s.confirmedAt = clock.instant();
            });
            return found;
        });
    }

    /** Ends the subscription holding {@code token}. */
    public boolean unsubscribe(String token) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Subscriber> found = Subscriber.<Subscriber>find("unsubscribeToken", token == null ? "" : token)
                    .firstResultOptional();
            found.ifPresent(s -> {
                s.state = Subscriber.State.UNSUBSCRIBED;
                s.confirmTokenHash = null;
                s.unsubscribedAt = clock.instant();
            });
            return found.isPresent();
        });
    }

    public String unsubscribeLink(Subscriber s) {
        return settings.publicUrl() + "/api/v1/subscribers/unsubscribe?token=" + s.unsubscribeToken;
    }
}
