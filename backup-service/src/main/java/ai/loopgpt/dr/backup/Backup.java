package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.common.job.JobRecord;
import ai.loopgpt.dr.common.web.CodedColumn;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One backup of one target: the job and its phase, and once SUCCEEDED what its manifest says. The
 * SUCCEEDED rows are the catalog, a cache of the manifests in the bucket.
 */
@Entity
@Table(name = "backup")
public class Backup extends JobRecord {

    @Column(nullable = false)
    public String target;

    @Column(nullable = false)
    @Convert(converter = KindColumn.class)
    public BackupKind kind;

    @Column(nullable = false)
    @Convert(converter = FormatColumn.class)
    public DumpFormat format;

    @Column(nullable = false)
    @Convert(converter = CompressionColumn.class)
    public Compression compression;

    /** pg_dump's parallel jobs (directory format). */
    @Column(nullable = false)
    public int jobs = 1;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public BackupPhase phase;

    /** Why it was asked for, in the requester's words. */
    public String reason;

    /** How a backup whose process died was settled from the bucket's truth; null for one that ended by itself. */
    @Column(name = "settled_note")
    public String settledNote;

    /** A short category of the failure for metrics: target, pg_dump, storage, interrupted, internal. */
    @Column(name = "failure_category")
    public String failureCategory;

    public String bucket;

    @Column(name = "object_key")
    public String objectKey;

    @Column(name = "manifest_key")
    public String manifestKey;

    /** The S3 multipart upload still to abort after a failure; null once aborted or completed. */
    @Column(name = "upload_id")
    public String uploadId;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    public String sha256;

    @Column(name = "server_version")
    public String serverVersion;

    @Column(name = "pg_dump_version")
    public String pgDumpVersion;

    /** Rows per table ({@code schema.table}), counted in the snapshot the dump used. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "table_rows")
    public Map<String, Long> tableRows;

    /**
     * Milliseconds per phase: snapshot, dump (pg_dump, compression and upload, streamed together; the
     * directory format dumps first, then uploads), upload, row-counts; up to finishedAt.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "phase_millis")
    public Map<String, Long> phaseMillis;

    /** Compressed bytes uploaded so far while RUNNING (written every few seconds); see sizeBytes once done. */
    @Column(name = "bytes_uploaded")
    public Long bytesUploaded;

    @Column(name = "retention_class")
    public String retentionClass;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "restore_command")
    public String restoreCommand;

    /** Kept whatever its age while pinned (dr-admin, with a reason). */
    @Column(name = "pinned_at")
    public Instant pinnedAt;

    @Column(name = "pinned_by")
    public String pinnedBy;

    @Column(name = "pin_reason")
    public String pinReason;

    /** When its object and manifest were deleted from the bucket, by whom and why. */
    @Column(name = "expired_at")
    public Instant expiredAt;

    @Column(name = "expired_by")
    public String expiredBy;

    @Column(name = "expired_reason")
    public String expiredReason;

    /** The last integrity verification: when, PASSED or FAILED, and why it failed. */
    @Column(name = "last_verified_at")
    public Instant lastVerifiedAt;

    @Column(name = "verification_result")
    public String verificationResult;

    @Column(name = "verification_reason")
    public String verificationReason;

    /**
     * Moves to {@code next}, refusing a move the state machine does not allow; expiry keeps the
     * backup's times ({@code at} is when it finished).
     */
    public void moveTo(BackupPhase next, Instant at) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("Backup " + id + " cannot go from " + phase + " to " + next);
        }
        if (next != BackupPhase.EXPIRED) {
            stamp(phase.job(), next.job(), at);
        }
        phase = next;
    }

    @Converter
    public static class KindColumn extends CodedColumn<BackupKind> {
        public KindColumn() {
            super(BackupKind.class);
        }
    }

    @Converter
    public static class FormatColumn extends CodedColumn<DumpFormat> {
        public FormatColumn() {
            super(DumpFormat.class);
        }
    }

    @Converter
    public static class CompressionColumn extends CodedColumn<Compression> {
        public CompressionColumn() {
            super(Compression.class);
        }
    }
}
