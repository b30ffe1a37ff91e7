package ai.loopgpt.dr.backup.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The drill report's durations read as a person would say them. */
class DrillReportDurationsTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0 s",
        "2.1, 2.1 s",
        "3.0, 3 s",
        "42, 42 s",
        "59.96, 1 min",
        "75, 1 min 15 s",
        "300, 5 min",
        "3599.6, 1 h",
        "3600, 1 h",
        "5400, 1 h 30 min",
        "14400, 4 h",
        "90061, 25 h 1 min",
        "-1, –",
        "NaN, –",
    })
    void secondsReadAsAPersonWouldSayThem(double seconds, String expected) {
        assertEquals(expected, DrillReport.human(seconds));
    }
}
