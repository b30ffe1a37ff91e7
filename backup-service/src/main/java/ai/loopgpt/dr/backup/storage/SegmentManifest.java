package ai.loopgpt.dr.backup.storage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;

/**
 * The manifest of one change segment, beside it in the bucket: which transactions it holds (by LSN
 * and commit time), how to check it (SHA-256) and how to replay it by hand. LSNs are written as
 * PostgreSQL writes them ({@code 0/16B37A0}). Fields are only ever added.
 */
@RegisterForReflection
public record SegmentManifest(
        int manifestVersion,
        String kind,
        String target,
        String baseBackupId,
        String bucket,
        String objectKey,
        String slot,
        String previousLsn,
        String firstLsn,
        String lastLsn,
        String endLsn,
        Instant firstCommitTime,
        Instant lastCommitTime,
        int transactions,
        long rows,
        Map<String, Long> rowsByTable,
        Map<String, Long> sequences,
        long sizeBytes,
        long uncompressedBytes,
        String sha256,
        Instant createdAt,
        Instant retainUntil,
        String restore,
        String restoreUntil) {

    public static final int VERSION = 1;
    public static final String KIND = "change-segment";
}
