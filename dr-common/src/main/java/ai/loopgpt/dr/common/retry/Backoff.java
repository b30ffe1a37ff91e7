package ai.loopgpt.dr.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, for everything the suite retries (outboxes, deliveries). */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The wait after the {@code attempt}-th failure (1 for the first): 1 s, 2 s, 4 s …, each ±20 % at
     * random so that many senders do not retry in step, and never more than {@code max}.
     */
    public static Duration after(int attempt, Duration max) {
        long seconds = 1L << Math.min(Math.max(attempt - 1, 0), 30);
        long millis = (long) (seconds * 1000 * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4));
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
