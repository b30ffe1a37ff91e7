package ai.loopgpt.dr.notification.service;

import ai.loopgpt.dr.notification.config.NotifySettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token of a subscriber's one-click unsubscribe link: the subscriber's id and an HMAC-SHA256 of
 * it keyed by {@code notify.subscribers.token-key} (a Secret, never in the database). Nothing is
 * stored to check it, so a copy of the database cannot unsubscribe anyone; changing the key voids
 * every link already mailed.
 */
@Startup
@ApplicationScoped
public class UnsubscribeTokens {

    static final int MIN_KEY_LENGTH = 32;
    private static final int MAC_BYTES = 16;
    private static final byte[] PURPOSE = "loopgpt-unsubscribe\0".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;

    public UnsubscribeTokens(NotifySettings settings) {
        String secret = settings.subscribers().tokenKey();
        if (secret.length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("notify.subscribers.token-key must be at least " + MIN_KEY_LENGTH
                    + " characters of random text (for example: openssl rand -base64 48)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The token for {@code subscriber}'s links (43 URL-safe characters). */
    public String issue(UUID subscriber) {
        byte[] id = bytes(subscriber);
        ByteBuffer token = ByteBuffer.allocate(id.length + MAC_BYTES).put(id).put(mac(id));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /** The subscriber whose link carried {@code token}, if this key made it. */
    public Optional<UUID> subscriberOf(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] id = Arrays.copyOf(raw, 16);
        byte[] presented = Arrays.copyOfRange(raw, 16, raw.length);
        if (!MessageDigest.isEqual(presented, mac(id))) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(id);
        return Optional.of(new UUID(b.getLong(), b.getLong()));
    }

    private byte[] mac(byte[] id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(PURPOSE);
            return Arrays.copyOf(mac.doFinal(id), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
