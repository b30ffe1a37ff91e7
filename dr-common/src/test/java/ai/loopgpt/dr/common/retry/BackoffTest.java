package ai.loopgpt.dr.common.retry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    @ParameterizedTest(name = "after attempt {0}: about {1} s")
    @CsvSource({"1, 1", "2, 2", "3, 4", "5, 16", "10, 512", "40, 600"})
    void doublesWithJitterUpToTheCap(int attempt, long seconds) {
        for (int i = 0; i < 50; i++) {
            long millis = Backoff.after(attempt, Duration.ofMinutes(10)).toMillis();
            assertTrue(millis >= seconds * 800 && millis <= Math.min(seconds * 1200, 600_000), attempt + " -> " + millis);
        }
    }
}
