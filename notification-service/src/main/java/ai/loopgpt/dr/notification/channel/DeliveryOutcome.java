package ai.loopgpt.dr.notification.channel;

import java.time.Duration;

/** What came of one attempt to deliver over a channel. */
public sealed interface DeliveryOutcome {

    DeliveryOutcome SENT = new Sent();

    /** The receiver took it. */
    record Sent() implements DeliveryOutcome {
    }

    /** It may work later (connection refused, timeout, 5xx, 429): retried with backoff, not before {@code retryAfter} if given. */
    record Transient(String error, Duration retryAfter) implements DeliveryOutcome {
        public Transient(String error) {
            this(error, null);
        }
    }

    /** It will not work however often we try (400, 404, SMTP 5xx): dead at once, with its error. */
    record Permanent(String error) implements DeliveryOutcome {
    }

    /** Not attempted: the channel's rate limit says wait this long. No attempt is counted. */
    record Deferred(Duration delay) implements DeliveryOutcome {
    }
}
