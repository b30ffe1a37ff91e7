package ai.loopgpt.dr.backup.storage;

import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The key layout of the backup bucket, the one place that builds keys:
 * {@code backups/<target>/<yyyy>/<mm>/<dd>/db_backup_<yyyyMMdd_HHmmss>.sql.gz} and its manifest
 * {@code db_backup_<yyyyMMdd_HHmmss>.manifest.json} beside it; a streamed target's change segments
 * under {@code backups/<target>/stream/<base-backup-id>/}, as
 * {@code changes_<first-lsn>_<last-lsn>.sql.gz} and {@code changes_<first-lsn>_<last-lsn>.manifest.json}
 * (LSNs as 16 hexadecimal digits, so the keys sort in stream order).
 */
public final class BackupLayout {

    public static final String ROOT = "backups/";
    public static final String MANIFEST_SUFFIX = ".manifest.json";
    private static final String STREAM_FOLDER = "stream/";
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

    /** A backup's manifest (not a change segment's). */
    public static boolean isManifest(String key) {
        return key.startsWith(ROOT) && key.endsWith(MANIFEST_SUFFIX) && !inStream(key);
    }

    /** The folder of the change segments that follow the base backup {@code baseId} of {@code target}. */
    public static String streamPrefix(String target, String baseId) {
        return targetPrefix(target) + STREAM_FOLDER + baseId + "/";
    }

    /** The object key of a change segment holding the transactions committed at {@code firstLsn} to {@code lastLsn}. */
    public static String segmentKey(String target, String baseId, long firstLsn, long lastLsn) {
        return segmentBase(target, baseId, firstLsn, lastLsn) + ".sql.gz";
    }

    public static String segmentManifestKey(String target, String baseId, long firstLsn, long lastLsn) {
        return segmentBase(target, baseId, firstLsn, lastLsn) + MANIFEST_SUFFIX;
    }

    /** The manifest key of the change segment {@code segmentKey}. */
    public static String manifestOf(String segmentKey) {
        return segmentKey.substring(0, segmentKey.length() - ".sql.gz".length()) + MANIFEST_SUFFIX;
    }

    public static boolean isSegmentManifest(String key) {
        return key.startsWith(ROOT) && key.endsWith(MANIFEST_SUFFIX) && inStream(key);
    }

    /** {@code backups/<target>/stream/…}: a target's own folder named "stream" is not mistaken for it. */
    private static boolean inStream(String key) {
        int slash = key.indexOf('/', ROOT.length());
        return slash > 0 && key.startsWith(STREAM_FOLDER, slash + 1);
    }

    private static String segmentBase(String target, String baseId, long firstLsn, long lastLsn) {
        return streamPrefix(target, baseId) + "changes_" + "%016X_%016X".formatted(firstLsn, lastLsn);
    }

    private static String base(String target, Instant at) {
        return targetPrefix(target) + DAY.format(at) + "/db_backup_" + STAMP.format(at);
    }
}
