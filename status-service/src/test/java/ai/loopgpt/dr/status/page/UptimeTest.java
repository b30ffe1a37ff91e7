package ai.loopgpt.dr.status.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.loopgpt.dr.status.ComponentStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UptimeTest {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} for an hour: {1} s down")
    @CsvSource({"MAJOR_OUTAGE, 3600", "PARTIAL_OUTAGE, 1080", "DEGRADED_PERFORMANCE, 0", "UNDER_MAINTENANCE, 0"})
    void outagesCountByTheirWeight(ComponentStatus status, double expected) {
        List<Uptime.Change> changes = List.of(
                new Uptime.Change(Instant.parse("2026-01-02T10:00:00Z"), status),
                new Uptime.Change(Instant.parse("2026-01-02T11:00:00Z"), ComponentStatus.OPERATIONAL));
        assertEquals(expected, Uptime.downSeconds(CREATED, changes, CREATED, Instant.parse("2026-01-03T00:00:00Z")), 0.001);
    }

    @Test
    void daysSplitAnOutageAtMidnightAndLeaveDaysBeforeCreationEmpty() {
        List<Uptime.Change> changes = List.of(
                new Uptime.Change(Instant.parse("2026-01-02T23:00:00Z"), ComponentStatus.MAJOR_OUTAGE),
                new Uptime.Change(Instant.parse("2026-01-03T02:00:00Z"), ComponentStatus.OPERATIONAL));
        List<Uptime.Day> days = Uptime.days(CREATED, changes, Instant.parse("2026-01-04T00:00:00Z"), 5);
        assertEquals(5, days.size());
        assertNull(days.get(0).uptime(), "2025-12-31: before the component existed");
        assertEquals(1.0, days.get(1).uptime(), 1e-9);
        assertEquals(3600, days.get(2).downSeconds());
        assertEquals(7200, days.get(3).downSeconds());
        assertEquals(1 - 7200 / 86400.0, days.get(3).uptime(), 1e-9);
    }

    @Test
    void availabilityOverAYearAgainstTheTarget() {
        // 8.76 hours of major outage in a whole year is exactly 99.9 %.
        Instant yearEnd = Instant.parse("2027-01-01T00:00:00Z");
        List<Uptime.Change> changes = List.of(
                new Uptime.Change(Instant.parse("2026-06-01T00:00:00Z"), ComponentStatus.MAJOR_OUTAGE),
                new Uptime.Change(Instant.parse("2026-06-01T08:45:36Z"), ComponentStatus.OPERATIONAL));
        assertEquals(0.999, Uptime.availability(CREATED, changes, CREATED, yearEnd), 1e-9);
    }

    @ParameterizedTest(name = "{1} s down of {0} s over {2} components: {3} % available, {4} of {5} minutes left")
    @CsvSource({
            // A whole year measured, one component: 99.9 % allows 525.6 minutes.
            "31536000, 0, 1, 100.0, 526, 526",
            "31536000, 31536, 1, 99.9, 0, 526",
            // A 98 % period has no budget left: it is over by 1.9 % of the time.
            "31536000, 630720, 1, 98.0, -9986, 526",
            // Measured for one day only (a component created yesterday): the budget is a day's worth.
            "86400, 1728, 1, 98.0, -27, 1",
            "172800, 0, 2, 100.0, 1, 1"})
    void availabilityAndBudgetLeftAlwaysAgree(double span, double down, int components, double percent, long left,
            long budget) {
        Uptime.Budget b = Uptime.Budget.of(span, down, components, 0.999);
        assertEquals(percent, b.availability() * 100, 0.0001);
        assertEquals(budget, b.budgetMinutes());
        assertEquals(left, b.leftMinutes());
        assertEquals(b.availability() >= 0.999 - 1e-9, b.leftMinutes() >= 0, "the two figures agree");
    }
}
