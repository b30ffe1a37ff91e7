package ai.loopgpt.dr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupPhaseTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "PENDING, RUNNING, true", "PENDING, FAILED, true", "PENDING, SUCCEEDED, false",
            "RUNNING, SUCCEEDED, true", "RUNNING, FAILED, true", "RUNNING, PENDING, false",
            "SUCCEEDED, FAILED, false", "FAILED, RUNNING, false", "FAILED, SUCCEEDED, false",
            "SUCCEEDED, EXPIRED, true", "FAILED, EXPIRED, false", "RUNNING, EXPIRED, false", "PENDING, EXPIRED, false",
            "EXPIRED, SUCCEEDED, false", "EXPIRED, FAILED, false", "EXPIRED, EXPIRED, false"})
    void onlyTheStateMachinesMovesAreAllowed(BackupPhase from, BackupPhase to, boolean allowed) {
        assertEquals(allowed, from.canMoveTo(to));
        Backup backup = new Backup();
        backup.phase = from;
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        if (allowed) {
            backup.moveTo(to, at);
            assertEquals(to, backup.phase);
        } else {
            assertThrows(IllegalStateException.class, () -> backup.moveTo(to, at));
        }
    }

    @Test
    void expiryKeepsTheBackupsTimes() {
        Backup backup = new Backup();
        backup.phase = BackupPhase.SUCCEEDED;
        Instant finished = Instant.parse("2026-01-01T00:00:00Z");
        backup.finishedAt = finished;
        backup.moveTo(BackupPhase.EXPIRED, finished.plusSeconds(3600));
        assertEquals(BackupPhase.EXPIRED, backup.phase);
        assertEquals(finished, backup.finishedAt);
        assertTrue(backup.phase.isFinal());
    }
}
