package ai.loopgpt.dr.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock moved on by an offset a test sets: what a service under test sees as "now" when
 * its test produces this as its {@link Clock}. Tests move time instead of waiting, and put it back.
 */
public final class MovableClock extends Clock {

    public static final MovableClock INSTANCE = new MovableClock();

    private volatile Duration offset = Duration.ZERO;

    private MovableClock() {
    }

    /** Moves "now" on by {@code by}. */
    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    /** Back to the real time. */
    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same moved time, seen in {@code zone}. */
    @Override
    public Clock withZone(ZoneId zone) {
        MovableClock moved = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return moved.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return moved.withZone(other);
            }
        };
    }
}
