package ai.loopgpt.dr.status.page;

import ai.loopgpt.dr.status.ComponentStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Uptime from a component's status history, as Statuspage counts it: a major outage is downtime, a
 * partial outage counts for 30 %, everything else is up. Pure functions, no clock of their own.
 */
public final class Uptime {

    static final double PARTIAL_WEIGHT = 0.3;

    private Uptime() {
    }

    /** A status change at a time. */
    public record Change(Instant at, ComponentStatus status) {
    }

    /** One day: its date, the fraction up (null before the component existed), and seconds of weighted downtime. */
    public record Day(LocalDate date, Double uptime, long downSeconds) {
    }

    static double weight(ComponentStatus status) {
        return switch (status) {
            case MAJOR_OUTAGE -> 1.0;
            case PARTIAL_OUTAGE -> PARTIAL_WEIGHT;
            default -> 0.0;
        };
    }

    /** Weighted downtime, in seconds, between {@code from} and {@code to}. */
    public static double downSeconds(Instant created, List<Change> changes, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        ComponentStatus status = ComponentStatus.OPERATIONAL;
        Instant cursor = created;
        double down = 0;
        for (Change change : changes) {
            down += overlap(cursor, change.at(), from, to) * weight(status);
            cursor = change.at();
            status = change.status();
        }
        down += overlap(cursor, to, from, to) * weight(status);
        return down;
    }

    private static double overlap(Instant a, Instant b, Instant from, Instant to) {
        Instant start = a.isAfter(from) ? a : from;
        Instant end = b.isBefore(to) ? b : to;
        return end.isAfter(start) ? Duration.between(start, end).toMillis() / 1000.0 : 0;
    }

    /** The last {@code days} days up to {@code now} (UTC), oldest first. */
    public static List<Day> days(Instant created, List<Change> changes, Instant now, int days) {
        List<Day> out = new ArrayList<>(days);
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        for (int i = days - 1; i >= 0; i--) {
            LocalDate date = today.minusDays(i);
            Instant start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = i == 0 ? now : start.plus(Duration.ofDays(1));
            Instant counted = created.isAfter(start) ? created : start;
            if (!end.isAfter(counted)) {
                out.add(new Day(date, null, 0));
                continue;
            }
            double down = downSeconds(created, changes, counted, end);
            double span = Duration.between(counted, end).toMillis() / 1000.0;
            out.add(new Day(date, 1 - down / span, Math.round(down)));
        }
        return out;
    }

    /** Availability since {@code from} (e.g. the start of the year) as a fraction. */
    public static double availability(Instant created, List<Change> changes, Instant from, Instant now) {
        Instant start = created.isAfter(from) ? created : from;
        double span = Duration.between(start, now).toMillis() / 1000.0;
        return span <= 0 ? 1 : 1 - downSeconds(created, changes, start, now) / span;
    }

    /**
     * Availability and error budget over the same measured time (each component from the start of
     * the period or from when it was created, whichever is later), so that they always agree: the
     * budget left is negative exactly when availability is below the target.
     */
    public record Budget(double availability, long budgetMinutes, long leftMinutes) {

        /** {@code spanSeconds} and {@code downSeconds} summed over {@code components} components. */
        public static Budget of(double spanSeconds, double downSeconds, int components, double target) {
            if (components == 0 || spanSeconds <= 0) {
                return new Budget(1, 0, 0);
            }
            double availability = 1 - downSeconds / spanSeconds;
            double budget = spanSeconds / components * (1 - target) / 60;
            double used = downSeconds / components / 60;
            return new Budget(availability, Math.round(budget), Math.round(budget - used));
        }
    }
}
