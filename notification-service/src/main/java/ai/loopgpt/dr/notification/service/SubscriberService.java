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
import java.time.Instant;
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
    private final UnsubscribeTokens unsubscribeTokens;
    private final Clock clock;

    public SubscriberService(NotificationService notifications, NotifySettings settings,
            UnsubscribeTokens unsubscribeTokens, Clock clock) {
        this.notifications = notifications;
        this.settings = settings;
        this.unsubscribeTokens = unsubscribeTokens;
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

    /**
     * Records the request and mails a confirmation link, unless the address is suppressed or has had
     * its share of confirmation mails in this window (the caller's answer is the same either way). A
     * confirmed subscriber keeps its components until the new choice is confirmed. {@code address}
     * is already normalized ({@code EmailAddresses}).
     */
    public void subscribe(String address, List<String> components) {
        String confirm = token();
        String wanted = String.join(",", components);
        Boolean send = QuarkusTransaction.requiringNew().call(() -> {
            Subscriber s = Subscriber.<Subscriber>find("lower(email) = ?1", address).firstResultOptional().orElse(null);
            if (s == null) {
                s = new Subscriber();
                s.id = UUID.randomUUID();
                s.email = address;
                s.createdAt = clock.instant();
                s.state = Subscriber.State.PENDING;
                s.components = wanted;
            } else if (s.state == Subscriber.State.CONFIRMED) {
                if (wanted.equals(s.components) && s.pendingComponents == null) {
                    return false; // Nothing to change, nothing to confirm.
                }
                s.pendingComponents = wanted;
            } else {
                s.state = Subscriber.State.PENDING;
                s.components = wanted;
            }
            Instant now = clock.instant();
            if (s.confirmationWindowStart == null
                    || !now.isBefore(s.confirmationWindowStart.plus(settings.subscribers().confirmationWindow()))) {
                s.confirmationWindowStart = now;
                s.confirmationsSent = 0;
            }
            // Counted per mailbox: a+1@x.com and a+2@x.com reach the same person, who gets the limit once.
            Subscriber self = s;
            int sentToMailbox = s.confirmationsSent + sameMailbox(address).stream()
                    .filter(o -> !o.id.equals(self.id) && o.confirmationWindowStart != null
                            && now.isBefore(o.confirmationWindowStart.plus(settings.subscribers().confirmationWindow())))
                    .mapToInt(o -> o.confirmationsSent).sum();
            boolean allowed = sentToMailbox < settings.subscribers().confirmationsPerAddress();
            if (allowed) {
                s.confirmationsSent++;
                s.confirmTokenHash = hash(confirm);
            }
            s.persist();
            return allowed;
        });
        if (send && !Suppression.covers(address)) {
            String id = QuarkusTransaction.requiringNew().call(() -> Subscriber.<Subscriber>find("lower(email) = ?1", address)
                    .firstResult().id.toString());
            notifications.acceptDirect("subscription-confirmation", address, null,
                    Map.of("link", settings.publicUrl() + "/api/v1/subscribers/confirm?token=" + confirm),
                    "confirm-" + id + "-" + hash(confirm).substring(0, 16));
        }
        LOG.infof("Subscription requested (%s)", send ? "confirmation mailed" : "no mail: limit reached or nothing to confirm");
    }

    /** The mailbox an address delivers to: its local part without a {@code +tag}, lower-cased, and its domain. */
    static String mailbox(String address) {
        String lower = address.strip().toLowerCase(java.util.Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at <= 0) {
            return lower;
        }
        String local = lower.substring(0, at);
        int plus = local.indexOf('+');
        return (plus > 0 ? local.substring(0, plus) : local) + lower.substring(at);
    }

    /** The subscribers whose addresses deliver to {@code address}'s mailbox. */
    private static List<Subscriber> sameMailbox(String address) {
        String box = mailbox(address);
        int at = box.lastIndexOf('@');
        if (at <= 0) {
            return List.of();
        }
        String like = box.substring(0, at).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                + box.substring(at).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return Subscriber.<Subscriber>list("lower(email) like ?1 escape '\\'", like).stream()
                .filter(o -> mailbox(o.email).equals(box)).toList();
    }

    /** Confirms the request holding {@code token} (and its new choice of components); the token works once. */
    public Optional<Subscriber> confirm(String token) {
        String hashed = hash(token == null ? "" : token);
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Subscriber> found = Subscriber.<Subscriber>find("confirmTokenHash", hashed).firstResultOptional();
            found.ifPresent(s -> {
                s.state = Subscriber.State.CONFIRMED;
                s.confirmTokenHash = null;
                s.confirmedAt = clock.instant();
                if (s.pendingComponents != null) {
                    s.components = s.pendingComponents;
                    s.pendingComponents = null;
                }
            });
            return found;
        });
    }

    /** Ends the subscription whose link carried {@code token}. */
    public boolean unsubscribe(String token) {
        Optional<java.util.UUID> keyed = unsubscribeTokens.subscriberOf(token);
        String legacy = hash(token == null ? "" : token);
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Subscriber> found = keyed.isPresent()
                    ? Subscriber.<Subscriber>findByIdOptional(keyed.get())
                    : Subscriber.<Subscriber>find("legacyUnsubscribeHash", legacy).firstResultOptional();
            found.ifPresent(s -> {
                s.state = Subscriber.State.UNSUBSCRIBED;
                s.confirmTokenHash = null;
                s.pendingComponents = null;
                s.unsubscribedAt = clock.instant();
            });
            return found.isPresent();
        });
    }

    public String unsubscribeLink(Subscriber s) {
        return settings.publicUrl() + "/api/v1/subscribers/unsubscribe?token=" + unsubscribeTokens.issue(s.id);
    }
}
