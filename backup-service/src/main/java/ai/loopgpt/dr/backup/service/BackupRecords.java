package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.storage.BackupManifest;
import ai.loopgpt.dr.backup.storage.BackupStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What a running backup writes to its row, one named transition each, every one in its own
 * transaction: the row always says how far the backup got, whatever happens to the process next.
 */
@ApplicationScoped
public class BackupRecords {

    private static final Logger LOG = Logger.getLogger(BackupRecords.class);

    private final BackupMetrics metrics;
    private final Clock clock;

    public BackupRecords(BackupMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Now, as the rows store it. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public Backup get(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>findById(id));
    }

    /** PENDING → RUNNING, into {@code bucket}, by pg_dump {@code pgDumpVersion}. */
    public Backup markRunning(UUID id, String bucket, String pgDumpVersion) {
        return change(id, b -> {
            b.moveTo(BackupPhase.RUNNING, now());
            b.bucket = bucket;
            b.pgDumpVersion = pgDumpVersion;
        });
    }

    /** Whether a backup already has {@code manifestKey}. */
    public boolean manifestKeyTaken(String manifestKey) {
        return QuarkusTransaction.requiringNew().call(() -> Backup.count("manifestKey", manifestKey) > 0);
    }

    /**
     * The keys, recorded before the upload starts: an upload under a key no open backup has is an
     * orphan, and the sweep aborts it (see BackupService#sweepUploads).
     */
    public void recordKeys(UUID id, String objectKey, String manifestKey) {
        change(id, b -> {
            b.objectKey = objectKey;
            b.manifestKey = manifestKey;
        });
    }

    /** The multipart upload to abort should the backup fail, and the server it dumps. */
    public void recordUpload(UUID id, String uploadId, String serverVersion) {
        change(id, b -> {
            b.uploadId = uploadId;
            b.serverVersion = serverVersion;
        });
    }

    /** The compressed bytes uploaded so far (what drctl --wait shows); informative only, never fails. */
    public void recordProgress(UUID id, long bytes) {
        try {
            QuarkusTransaction.requiringNew().run(() -> Backup.update(
                    "bytesUploaded = ?1 where id = ?2 and phase = ?3", bytes, id, BackupPhase.RUNNING));
        } catch (RuntimeException e) {
            // Progress is informative only: the backup goes on whatever happens to this write.
            LOG.debugf("Backup %s: could not record progress: %s", id, e.getMessage());
        }
    }

    /**
     * What the completed upload holds, its retention and the phases up to {@code finished}: the
     * row the manifest is written from. Still RUNNING: see {@link #succeed}.
     */
    public Backup recordResult(UUID id, BackupStore.Result result, Map<String, Long> rows, Instant finished,
            BackupRetention retention, String database, Map<String, Long> phases) {
        return change(id, b -> {
            b.sizeBytes = result.sizeBytes();
            b.sha256 = result.sha256();
            b.tableRows = rows;
            b.finishedAt = finished;
            b.retentionClass = retention.retentionClass();
            b.expiresAt = retention.expiresAt(finished);
            b.restoreCommand = restoreCommand(b, database);
            b.phaseMillis = phases;
        });
    }

    /** RUNNING → SUCCEEDED at {@code finished}, once the manifest is in the bucket; the upload is done. */
    public Backup succeed(UUID id, Instant finished) {
        return finish(id, false, b -> {
            b.moveTo(BackupPhase.SUCCEEDED, finished);
            b.uploadId = null;
        });
    }

    /** → FAILED for {@code reason}; the upload id is kept until the upload is {@code aborted}. */
    public Backup fail(UUID id, String category, String reason, boolean aborted) {
        return finish(id, false, b -> {
            b.moveTo(BackupPhase.FAILED, now());
            b.failureReason = reason;
            b.failureCategory = category;
            if (aborted) {
                b.uploadId = null;
            }
        });
    }

    /**
     * An open backup whose process died after its object and manifest were complete: SUCCEEDED as
     * {@code manifest} says; null if it was settled meanwhile.
     */
    public Backup recoverFromManifest(UUID id, BackupManifest manifest, String manifestKey, String note) {
        return finish(id, true, b -> {
            manifest.copyInto(b, manifestKey);
            b.settledNote = note;
        });
    }

    /**
     * An open backup whose process died: FAILED ("interrupted") for {@code reason}, with how it was
     * settled ({@code note}, may be null); null if it was settled meanwhile.
     */
    public Backup failInterrupted(UUID id, String reason, String note, boolean aborted) {
        return finish(id, true, b -> {
            b.moveTo(BackupPhase.FAILED, now());
            b.failureCategory = "interrupted";
            b.failureReason = reason;
            if (note != null) {
                b.settledNote = note;
            }
            if (aborted) {
                b.uploadId = null;
            }
        });
    }

    /** The leftover upload of a failed backup was aborted. */
    public void recordUploadAborted(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> Backup.<Backup>findById(id).uploadId = null);
    }

    /** Loads the row of {@code id}, applies {@code change} and commits, in a transaction of its own. */
    private static Backup change(UUID id, Consumer<Backup> change) {
        return change(id, false, change);
    }

    /** {@link #change(UUID, Consumer)}; {@code onlyIfOpen}: a backup settled meanwhile is left as it is (null). */
    private static Backup change(UUID id, boolean onlyIfOpen, Consumer<Backup> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Backup b = Backup.findById(id);
            if (onlyIfOpen && b.phase.isFinal()) {
                return null;
            }
            change.accept(b);
            return b;
        });
    }

    /** A {@link #change} that ends the backup (a move to a final phase): counted in the metrics. */
    private Backup finish(UUID id, boolean onlyIfOpen, Consumer<Backup> change) {
        Backup finished = change(id, onlyIfOpen, change);
        if (finished != null) {
            metrics.finished(finished);
        }
        return finished;
    }

    /** The commands that restore {@code b} into {@code database}, starting from the bucket. */
    public static String restoreCommand(Backup b, String database) {
        String fetch = "aws s3 cp s3://" + b.bucket + "/" + b.objectKey + " - | " + b.compression.decompressCommand();
        return switch (b.format) {
            case PLAIN -> fetch + " | psql --set ON_ERROR_STOP=1 --dbname " + database;
            case CUSTOM -> fetch + " > backup.dump && pg_restore --no-owner --jobs 4 --dbname " + database
                    + " backup.dump";
            case DIRECTORY -> fetch + " | tar -x && pg_restore --no-owner --jobs 4 --format directory --dbname "
                    + database + " dump";
        };
    }
}
