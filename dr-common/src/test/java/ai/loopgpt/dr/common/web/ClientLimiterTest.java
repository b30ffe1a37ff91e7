package ai.loopgpt.dr.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientLimiterTest {

    /** A clock a test moves by hand. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-28T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void eachClientGetsItsLimitPerWindow() {
        MovingClock clock = new MovingClock();
        ClientLimiter limiter = new ClientLimiter(10, Duration.ofHours(1), clock);
        assertEquals(10, IntStream.range(0, 50).filter(i -> limiter.allow("198.51.100.7")).count());
        assertTrue(limiter.allow("203.0.113.9"), "another client is not held back");
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertEquals(false, limiter.allow("198.51.100.7"));
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertTrue(limiter.allow("198.51.100.7"), "a new window");
    }
}
