package ai.loopgpt.dr.backup.rest;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A backup as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupView(
        UUID id,
        String target,
        BackupKind kind,
        DumpFormat format,
        Compression compression,
        int jobs,
        BackupPhase phase,
        String reason,
        String requestedBy,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMillis,
        String failureReason,
        String settledNote,
        String bucket,
        String objectKey,
        String manifestKey,
        Long sizeBytes,
        String sha256,
        String postgresServerVersion,
        String pgDumpVersion,
        Map<String, Long> tableRows,
        String retentionClass,
        Instant expiresAt,
        String restore,
        Pin pin,
        Expiry expired,
        Verification verification,
        Progress progress,
        Map<String, Long> phases) {

    /** How far a running backup got: compressed bytes in the bucket so far. */
    public record Progress(long bytesUploaded) {
    }

    /** Why a backup is kept whatever its age. */
    public record Pin(Instant pinnedAt, String pinnedBy, String reason) {
    }

    /** When and why its object left the bucket. */
    public record Expiry(Instant at, String by, String reason) {
    }

    /** The last integrity verification. */
    public record Verification(Instant verifiedAt, String result, String reason) {
    }

    static BackupView of(Backup b) {
        boolean done = b.phase == BackupPhase.SUCCEEDED;
        Long duration = b.startedAt != null && b.finishedAt != null
                ? java.time.Duration.between(b.startedAt, b.finishedAt).toMillis() : null;
        return new BackupView(b.id, b.target, b.kind, b.format, b.compression, b.jobs, b.phase, b.reason, b.requestedBy,
                b.createdAt, b.startedAt, b.finishedAt, duration, b.failureReason, b.settledNote, done ? b.bucket : null,
                done ? b.objectKey : null, done ? b.manifestKey : null, b.sizeBytes, b.sha256, b.serverVersion,
                b.pgDumpVersion, b.tableRows, b.retentionClass, b.expiresAt, b.restoreCommand,
                b.pinnedAt == null ? null : new Pin(b.pinnedAt, b.pinnedBy, b.pinReason),
                b.expiredAt == null ? null : new Expiry(b.expiredAt, b.expiredBy, b.expiredReason),
                b.lastVerifiedAt == null ? null : new Verification(b.lastVerifiedAt, b.verificationResult,
                        b.verificationReason),
                b.phase == BackupPhase.RUNNING ? new Progress(b.bytesUploaded == null ? 0 : b.bytesUploaded) : null,
                b.phaseMillis);
    }
}
