package ai.loopgpt.dr.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrphanReaperTest {

    private final List<String> events = new ArrayList<>();

    private static Job job(int n, JobPhase phase) {
        Job job = new Job();
        job.id = new UUID(0, n);
        job.phase = phase;
        return job;
    }

    @Test
    void onlyJobsNoLiveReplicaOwnsAreSettledEachUnderItsLock() {
        Job owned = job(1, JobPhase.RUNNING);
        Job orphan = job(2, JobPhase.RUNNING);
        Job pending = job(3, JobPhase.PENDING);
        OrphanReaper<Job> reaper = new OrphanReaper<>("test job", () -> List.of(owned, orphan, pending),
                j -> j == owned ? null : lock(j), j -> events.add("settle " + j.id.getLeastSignificantBits()));
        assertEquals(2, reaper.reap());
        assertEquals(List.of("lock 2", "settle 2", "unlock 2", "lock 3", "settle 3", "unlock 3"), events);
    }

    @Test
    void aJobThatCannotBeSettledNowIsLeftForTheNextRoundAndTheOthersStillAre() {
        Set<Long> failing = Set.of(1L);
        OrphanReaper<Job> reaper = new OrphanReaper<>("test job",
                () -> List.of(job(1, JobPhase.RUNNING), job(2, JobPhase.RUNNING)), this::lock, j -> {
                    if (failing.contains(j.id.getLeastSignificantBits())) {
                        throw new IllegalStateException("S3 unreachable");
                    }
                    events.add("settle " + j.id.getLeastSignificantBits());
                });
        assertEquals(2, reaper.reap());
        assertEquals(List.of("lock 1", "unlock 1", "lock 2", "settle 2", "unlock 2"), events);
    }

    @Test
    void withNothingOpenThereIsNothingToDo() {
        OrphanReaper<Job> reaper = new OrphanReaper<>("test job", List::of, this::lock, j -> events.add("settle"));
        assertEquals(0, reaper.reap());
        assertEquals(List.of(), events);
    }

    private AutoCloseable lock(Job job) {
        long n = job.id.getLeastSignificantBits();
        events.add("lock " + n);
        return () -> events.add("unlock " + n);
    }

    /** A job row without a database. */
    private static final class Job extends JobRecord {
        JobPhase phase;
    }
}
