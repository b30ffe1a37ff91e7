package ai.loopgpt.dr.backup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupLayoutTest {

    private static final Instant AT = Instant.parse("2026-03-07T04:05:06.789Z");

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "PLAIN, GZIP, backups/loopgpt/2026/03/07/db_backup_20260307_040506.sql.gz",
            "PLAIN, ZSTD, backups/loopgpt/2026/03/07/db_backup_20260307_040506.sql.zst",
            "CUSTOM, ZSTD, backups/loopgpt/2026/03/07/db_backup_20260307_040506.dump.zst",
            "DIRECTORY, GZIP, backups/loopgpt/2026/03/07/db_backup_20260307_040506.tar.gz"})
    void objectKeysFollowThePromisedLayout(DumpFormat format, Compression compression, String key) {
        assertEquals(key, BackupLayout.objectKey("loopgpt", AT, format, compression));
    }

    @Test
    void theManifestLivesBesideTheObject() {
        String manifest = BackupLayout.manifestKey("loopgpt", AT);
        assertEquals("backups/loopgpt/2026/03/07/db_backup_20260307_040506.manifest.json", manifest);
        assertTrue(BackupLayout.isManifest(manifest));
        assertFalse(BackupLayout.isManifest("backups/loopgpt/2026/03/07/db_backup_20260307_040506.sql.gz"));
        assertFalse(BackupLayout.isManifest("elsewhere/x.manifest.json"));
    }
}
