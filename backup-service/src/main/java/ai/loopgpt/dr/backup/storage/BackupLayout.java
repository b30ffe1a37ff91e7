package ai.loopgpt.dr.backup.storage;

import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The key layout of the backup bucket, the one place that builds keys:
 * {@code backups/<target>/<yyyy>/<mm>/<dd>/db_backup_<yyyyMMdd_HHmmss>.sql.gz} and its manifest
 * {@code db_backup_<yyyyMMdd_HHmmss>.manifest.json} beside it.
 */
public final class BackupLayout {

    public static final String ROOT = "backups/";
    public static final String MANIFEST_SUFFIX = ".manifest.json";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private BackupLayout() {
    }

    /** The object key of a backup of {@code target} taken at {@code at}. */
    public static String objectKey(String target, Instant at, DumpFormat format, Compression compression) {
        return base(target, at) + "." + format.extension() + "." + compression.extension();
    }

    /** The manifest key of a backup of {@code target} taken at {@code at}. */
    public static String manifestKey(String target, Instant at) {
        return base(target, at) + MANIFEST_SUFFIX;
    }

    /** The folder of {@code target}'s backups. */
    public static String targetPrefix(String target) {
        return ROOT + target + "/";
    }

    /** A self-check's probe object: outside {@link #ROOT}, so no catalog rebuild or sweep ever reads it. */
    public static String probeKey(String id) {
        return "self-check/probe-" + id;
    }

    public static boolean isManifest(String key) {
        return key.startsWith(ROOT) && key.endsWith(MANIFEST_SUFFIX);
    }

    private static String base(String target, Instant at) {
        return targetPrefix(target) + DAY.format(at) + "/db_backup_" + STAMP.format(at);
    }
}
