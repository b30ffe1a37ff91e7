package ai.loopgpt.dr.notification.channel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How webhook deliveries are signed: {@code X-LoopGPT-Signature: v1=<hex HMAC-SHA256>} over
 * {@code <X-LoopGPT-Timestamp>.<body>} with the webhook's secret. A receiver recomputes it, compares
 * in constant time, and refuses timestamps older than a few minutes (replays).
 */
public final class WebhookSignature {

    public static final String SIGNATURE = "X-LoopGPT-Signature";
    public static final String TIMESTAMP = "X-LoopGPT-Timestamp";
    public static final String DELIVERY = "X-LoopGPT-Delivery";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1=" + java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
