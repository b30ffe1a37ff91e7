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
}
