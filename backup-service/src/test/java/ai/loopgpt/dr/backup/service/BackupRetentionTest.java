package ai.loopgpt.dr.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.config.BackupSettings;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupRetentionTest {

    /** automatic 30 days (the pro tier), manual 90, drill 3. */
    private static final BackupSettings.Retention SETTINGS = new BackupSettings.Retention() {
        @Override
        public int automaticDays() {
            return 30;
        }

        @Override
        public int manualDays() {
            return 90;
        }

        @Override
        public int drillDays() {
            return 3;
        }
    };

    @ParameterizedTest(name = "{0}: {1}, {2} days")
    @CsvSource({"AUTOMATIC, automatic, 30", "MANUAL, manual, 90", "PRE_CHANGE, manual, 90", "DRILL, drill, 3"})
    void eachKindGetsItsClassAndDays(BackupKind kind, String retentionClass, int days) {
        BackupRetention retention = BackupRetention.of(kind, SETTINGS);
        assertEquals(new BackupRetention(retentionClass, days), retention);
        Instant finished = Instant.parse("2026-03-01T02:00:00Z");
        assertEquals(finished.plusSeconds(days * 86_400L), retention.expiresAt(finished));
    }
}
