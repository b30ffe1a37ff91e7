package ai.loopgpt.dr.backup.storage;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The manifest written beside every backup object: everything needed to trust and restore it
 * without the service's database. Its shape is a promise: add fields, never rename or remove one.
 */
public record BackupManifest(
        int manifestVersion,
        UUID backupId,
        String target,
        String database,
        BackupKind kind,
        DumpFormat format,
        Compression compression,
        int jobs,
        String bucket,
        String objectKey,
        String postgresServerVersion,
        String pgDumpVersion,
        Instant requestedAt,
        Instant startedAt,
        Instant finishedAt,
        long sizeBytes,
        String sha256,
        Map<String, Long> tableRows,
        Retention retention,
        String requestedBy,
        String reason,
        String restore,
        Map<String, Long> phases) {

    public static final int VERSION = 1;

    /** The retention class and when the backup may be deleted. */
    public record Retention(String retentionClass, Instant expiresAt) {
    }

    public static BackupManifest of(Backup b, String database) {
        return new BackupManifest(VERSION, b.id, b.target, database, b.kind, b.format, b.compression, b.jobs, b.bucket,
                b.objectKey, b.serverVersion, b.pgDumpVersion, b.createdAt, b.startedAt, b.finishedAt, b.sizeBytes, b.sha256,
                b.tableRows, new Retention(b.retentionClass, b.expiresAt), b.requestedBy, b.reason, b.restoreCommand,
                b.phaseMillis);
    }

    /** The catalog row this manifest stands for. */
    public Backup toBackup(String manifestKey) {
        Backup b = new Backup();
        b.id = backupId;
        copyInto(b, manifestKey);
        return b;
    }

    /** Overwrites {@code b}'s catalog fields with this manifest's. */
    public void copyInto(Backup b, String manifestKey) {
        b.target = target;
        b.kind = kind;
        b.format = format;
        b.compression = compression;
        b.jobs = jobs;
        b.phase = BackupPhase.SUCCEEDED;
        b.reason = reason;
        b.requestedBy = requestedBy;
        b.createdAt = requestedAt != null ? requestedAt : startedAt;
        b.startedAt = startedAt;
        b.finishedAt = finishedAt;
        b.failureReason = null;
        b.failureCategory = null;
        b.bucket = bucket;
        b.objectKey = objectKey;
        b.manifestKey = manifestKey;
        b.uploadId = null;
        b.sizeBytes = sizeBytes;
        b.sha256 = sha256;
        b.phaseMillis = phases;
        b.serverVersion = postgresServerVersion;
        b.pgDumpVersion = pgDumpVersion;
        b.tableRows = tableRows;
        b.retentionClass = retention == null ? null : retention.retentionClass();
        b.expiresAt = retention == null ? null : retention.expiresAt();
        b.restoreCommand = restore;
    }
}
