package ai.loopgpt.dr.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobPhaseTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "PENDING, PENDING, false", "PENDING, RUNNING, true", "PENDING, SUCCEEDED, false", "PENDING, FAILED, true",
            "RUNNING, PENDING, false", "RUNNING, RUNNING, false", "RUNNING, SUCCEEDED, true", "RUNNING, FAILED, true",
            "SUCCEEDED, PENDING, false", "SUCCEEDED, RUNNING, false", "SUCCEEDED, SUCCEEDED, false",
            "SUCCEEDED, FAILED, false",
            "FAILED, PENDING, false", "FAILED, RUNNING, false", "FAILED, SUCCEEDED, false", "FAILED, FAILED, false"})
    void theTableAllowsOnlyTheLifecyclesMoves(JobPhase from, JobPhase to, boolean allowed) {
        assertEquals(allowed, from.canMoveTo(to));
        TestJob job = new TestJob();
        if (allowed) {
            job.stamp(from, to, AT);
        } else {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> job.stamp(from, to, AT));
            assertEquals("TestJob " + job.id + " cannot go from " + from + " to " + to, refused.getMessage());
        }
    }

    @Test
    void onlySucceededAndFailedAreFinalAndTheOthersOpen() {
        assertEquals(List.of(JobPhase.SUCCEEDED, JobPhase.FAILED),
                List.of(JobPhase.values()).stream().filter(JobPhase::isFinal).toList());
        assertEquals(List.of(JobPhase.PENDING, JobPhase.RUNNING), JobPhase.OPEN);
    }

    @Test
    void runningStartsAJobAndAnEndEndsIt() {
        TestJob job = new TestJob();
        job.stamp(JobPhase.PENDING, JobPhase.RUNNING, AT);
        assertEquals(AT, job.startedAt);
        assertNull(job.finishedAt);
        job.stamp(JobPhase.RUNNING, JobPhase.SUCCEEDED, AT.plusSeconds(5));
        assertEquals(AT, job.startedAt);
        assertEquals(AT.plusSeconds(5), job.finishedAt);
    }

    @Test
    void aJobFailedBeforeItStartedHasAnEndButNoStart() {
        TestJob job = new TestJob();
        job.stamp(JobPhase.PENDING, JobPhase.FAILED, AT);
        assertNull(job.startedAt);
        assertEquals(AT, job.finishedAt);
    }

    /** A job row as the services' entities are, without a database. */
    private static final class TestJob extends JobRecord {
        TestJob() {
            id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        }
    }
}
