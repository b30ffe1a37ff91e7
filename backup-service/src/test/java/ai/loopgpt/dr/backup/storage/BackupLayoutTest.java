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

    @Test
    void changeSegmentsFollowTheirBaseAndSortInStreamOrder() {
        String base = "5b0c1a2f-0000-4000-8000-000000000001";
        String first = BackupLayout.segmentKey("loopgpt", base, 0x16B37A0L, 0x16C0010L);
        String next = BackupLayout.segmentKey("loopgpt", base, 0x1_0000_0010L, 0x1_0000_2000L);
        assertEquals("backups/loopgpt/stream/" + base + "/changes_00000000016B37A0_00000000016C0010.sql.gz", first);
        assertTrue(first.compareTo(next) < 0, "keys sort as LSNs do");
        String manifest = BackupLayout.segmentManifestKey("loopgpt", base, 0x16B37A0L, 0x16C0010L);
        assertEquals("backups/loopgpt/stream/" + base + "/changes_00000000016B37A0_00000000016C0010.manifest.json", manifest);
        assertTrue(manifest.startsWith(BackupLayout.streamPrefix("loopgpt", base)));
        // A segment's manifest is not a backup's: a catalog rebuild must not read it as one.
        assertTrue(BackupLayout.isSegmentManifest(manifest));
        assertFalse(BackupLayout.isManifest(manifest));
        // A target named "stream" keeps its backups.
        String streamTargets = BackupLayout.manifestKey("stream", AT);
        assertTrue(BackupLayout.isManifest(streamTargets));
        assertFalse(BackupLayout.isSegmentManifest(streamTargets));
    }
}
