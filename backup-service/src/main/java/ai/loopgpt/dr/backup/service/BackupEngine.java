package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.compress.Compressors;
import ai.loopgpt.dr.backup.compress.ParallelGzipOutputStream;
import ai.loopgpt.dr.backup.compress.TarWriter;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.storage.BackupLayout;
import ai.loopgpt.dr.backup.storage.BackupManifest;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.backup.stream.StreamBases;
import ai.loopgpt.dr.common.dump.CopyRowCounter;
import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.io.ScratchSpace;
import ai.loopgpt.dr.common.process.PhaseTimer;
import ai.loopgpt.dr.common.process.StderrTail;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs one backup: snapshot on the target, pg_dump in that snapshot, compression on all cores and a
 * multipart upload, streamed end to end with bounded memory; then the manifest; then SUCCEEDED. Any
 * failure aborts the upload and ends FAILED with a reason a human can act on ({@link BackupFailure}).
 * What the row says at each step is written by {@link BackupRecords}.
 */
@ApplicationScoped
public class BackupEngine {

    private static final Logger LOG = Logger.getLogger(BackupEngine.class);

    private final TargetService targets;
    private final BackupStore store;
    private final BackupSettings settings;
    private final BackupRecords records;
    private final ObjectMapper json;
    private final StreamBases streamBases;
    private final ScratchSpace scratch;
    /** Stops backups that run past backup.max-duration. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backup-watchdog");
        t.setDaemon(true);
        return t;
    });

    public BackupEngine(TargetService targets, BackupStore store, BackupSettings settings, BackupRecords records,
            ObjectMapper json, StreamBases streamBases, ScratchSpace scratch) {
        this.streamBases = streamBases;
        this.scratch = scratch;
        this.targets = targets;
        this.store = store;
        this.settings = settings;
        this.records = records;
        this.json = json;
    }

    /** Takes the scratch space as the service starts, deleting what a killed predecessor left there. */
    void takeScratchSpace(@Observes StartupEvent event) {
        scratch.root(); // the space is made, and what a killed predecessor left deleted, as the bean is
    }

    /** Runs the PENDING backup {@code id}; the target's lock is held by the caller. */
    public void run(UUID id) {
        Target target = targets.get(records.get(id).target);
        Backup started = records.markRunning(id, store.bucket(), targets.pgDumpVersion());
        BackupRetention retention = BackupRetention.of(started.kind, settings.retention());
        LOG.infof("Backup %s of %s started (%s, %s)", id, target, started.format.code(), started.compression.code());
        // Where the time goes: the phases add up to the backup's wall time (API and manifest: phases).
        PhaseTimer phases = new PhaseTimer();
        BackupStore.Upload upload = null;
        Process dump = null;
        Path directory = null;
        ScheduledFuture<?> watchdog = null;
        ScheduledFuture<?> progress = null;
        AtomicBoolean timedOut = new AtomicBoolean();
        StreamBases.Base streamBase = null;
        try (SnapshotSession snapshot = openSnapshot(target, streamBase = beginStream(id, target))) {
            String[] keys = uniqueKeys(target.name(), started.startedAt, started.format, started.compression);
            String objectKey = keys[0];
            String manifestKey = keys[1];
            records.recordKeys(id, objectKey, manifestKey);
            // Locked (where the bucket locks objects) until the expiry, counted from now rather than the end.
            upload = store.startUpload(objectKey, retention.expiresAt(started.startedAt));
            Failpoints.pause("backup.upload-started");
            records.recordUpload(id, upload.uploadId(), snapshot.serverVersion());
            // A plain dump's rows are counted as it streams past; archives (compressed or written to
            // files by pg_dump) are counted in the snapshot beside the dump.
            CopyRowCounter counter = started.format == DumpFormat.PLAIN ? new CopyRowCounter() : null;
            CompletableFuture<Map<String, Long>> rows = counter != null ? null : CompletableFuture.supplyAsync(() -> {
                try {
                    return snapshot.countRows();
                } catch (SQLException e) {
                    throw new IllegalStateException("Could not count rows: " + e.getMessage(), e);
                }
            });
            if (started.format == DumpFormat.DIRECTORY) {
                directory = scratch.createDirectory("backup-" + id);
                Files.delete(directory);
            }
            phases.end("snapshot");
            dump = PgDump.start(PgDump.command(settings.pgDump(), target, snapshot.snapshotId(), started.format,
                    started.jobs, directory, settings.lockWaitTimeout(), streamBase != null), target);
            Process running = dump;
            watchdog = timer.schedule(() -> {
                timedOut.set(true);
                running.destroyForcibly();
                snapshot.close();
            }, settings.maxDuration().toMillis(), TimeUnit.MILLISECONDS);
            StderrTail stderr = new StderrTail(dump.getErrorStream(), "pg_dump");
            CountingOutputStream uploaded = new CountingOutputStream(upload.stream());
            progress = timer.scheduleWithFixedDelay(() -> records.recordProgress(id, uploaded.count()),
                    PROGRESS_EVERY_MILLIS, PROGRESS_EVERY_MILLIS, TimeUnit.MILLISECONDS);
            OutputStream compressed = Compressors.open(started.compression, uploaded, level(started.compression),
                    settings.compression().threads());
            try {
                if (started.format == DumpFormat.DIRECTORY) {
                    dump.getInputStream().transferTo(OutputStream.nullOutputStream());
                    awaitDump(dump, stderr);
                    phases.end("dump");
                    Failpoints.pause("backup.dumped-to-directory");
                    TarWriter.write(directory, "dump", "toc.dat", compressed);
                    compressed.close();
                    phases.end("upload");
                } else {
                    copy(dump.getInputStream(), compressed, counter);
                    awaitDump(dump, stderr);
                    if (counter != null && counter.insideRows()) {
                        throw new BackupFailure("pg_dump", "pg_dump's output ended inside the rows of a table", null);
                    }
                    compressed.close();
                    phases.end("dump");
                }
            } catch (IOException | BackupFailure | RuntimeException e) {
                if (compressed instanceof ParallelGzipOutputStream gzip) {
                    gzip.discard();
                }
                throw e;
            }
            BackupStore.Result result = upload.complete();
            Failpoints.pause("backup.uploaded");
            phases.end("upload");
            Map<String, Long> tableRows;
            if (counter != null) {
                tableRows = counter.rows();
            } else {
                tableRows = rows.get(10, TimeUnit.MINUTES);
                phases.end("row-counts");
            }
            succeed(id, target, result, tableRows, retention, phases);
            if (streamBase != null) {
                streamBase.succeeded();
            }
        } catch (Exception e) {
            BackupFailure failure = timedOut.get() ? BackupFailure.timedOut(settings.maxDuration(), e)
                    : BackupFailure.classify(e, target, settings.lockWaitTimeout());
            if (failure.category.equals("interrupted")) {
                Thread.currentThread().interrupt();
            } else if (failure.category.equals("internal")) {
                LOG.errorf(failure.getCause(), "Backup of %s failed unexpectedly", target);
            }
            if (dump != null) {
                dump.destroyForcibly();
            }
            boolean aborted = upload == null || upload.abort();
            fail(id, failure, aborted, target);
            if (streamBase != null) {
                streamBase.failed("Its base backup " + id + " failed: " + failure.getMessage());
            }
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (progress != null) {
                progress.cancel(false);
            }
            ScratchSpace.deleteQuietly(directory);
        }
    }

    /** How often a running backup writes its uploaded bytes to its row (what drctl --wait shows). */
    private static final long PROGRESS_EVERY_MILLIS = 2000;

    /** Counts the bytes written through it. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        long count() {
            return count.get();
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }
    }

    /** A streamed target's new chain: its slot created, its snapshot exported; null for other targets. */
    private StreamBases.Base beginStream(UUID id, Target target) throws BackupFailure {
        if (!streamBases.streams(target.name())) {
            return null;
        }
        try {
            String refusal = streamBases.cannotStream(target);
            if (refusal != null) {
                // This backup and the next are plain dumps; the alert says what to change.
                streamBases.stop(target, refusal);
                return null;
            }
            return streamBases.begin(id, target);
        } catch (SQLException e) {
            throw new BackupFailure("target", "Cannot start the change stream of " + target.name() + ": " + e.getMessage(), e);
        }
    }

    private SnapshotSession openSnapshot(Target target, StreamBases.Base streamBase) throws BackupFailure {
        try {
            return streamBase == null ? SnapshotSession.open(target, 15, settings.lockWaitTimeout())
                    : SnapshotSession.importing(target, 15, settings.lockWaitTimeout(), streamBase.snapshotName());
        } catch (SQLException e) {
            throw new BackupFailure("target", "Cannot open a snapshot on " + target.user() + "@" + target.host() + ":"
                    + target.port() + "/" + target.database() + ": " + e.getMessage()
                    + (target.password() == null ? " (no password is configured for this target)" : ""), e);
        }
    }

    private int level(Compression compression) {
        return compression == Compression.GZIP ? settings.compression().gzipLevel() : settings.compression().zstdLevel();
    }

    /** Copies pg_dump's output into the compressor, counting rows on the way if {@code counter} is given. */
    private static void copy(InputStream in, OutputStream out, CopyRowCounter counter) throws IOException {
        byte[] buffer = new byte[1 << 20];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (counter != null) {
                counter.update(buffer, 0, n);
            }
            out.write(buffer, 0, n);
        }
    }

    private static void awaitDump(Process dump, StderrTail stderr) throws BackupFailure, InterruptedException {
        if (!dump.waitFor(1, TimeUnit.HOURS)) {
            throw new BackupFailure("pg_dump", "pg_dump did not finish within an hour after its output ended", null);
        }
        if (dump.exitValue() != 0) {
            throw new BackupFailure("pg_dump", "pg_dump failed (exit " + dump.exitValue() + "): " + stderr.text(), null);
        }
    }

    /** The keys (object, manifest) of a backup taken at {@code at}, moved on by a second while taken. */
    private String[] uniqueKeys(String target, Instant at, DumpFormat format, Compression compression) {
        Instant stamp = at.truncatedTo(ChronoUnit.SECONDS);
        while (true) {
            String manifest = BackupLayout.manifestKey(target, stamp);
            if (!records.manifestKeyTaken(manifest) && !store.exists(manifest)) {
                return new String[] {BackupLayout.objectKey(target, stamp, format, compression), manifest};
            }
            stamp = stamp.plusSeconds(1);
        }
    }

    /** SUCCEEDED only once the manifest is in the bucket beside the object. */
    private void succeed(UUID id, Target target, BackupStore.Result result, Map<String, Long> rows,
            BackupRetention retention, PhaseTimer phases) throws IOException {
        Instant finished = records.now();
        // Up to finishedAt: the manifest is written after it, carrying the same phases.
        Backup done = records.recordResult(id, result, rows, finished, retention, target.database(), phases.phases());
        done.phase = BackupPhase.SUCCEEDED;
        byte[] manifest = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(BackupManifest.of(done, target.database()));
        store.put(done.manifestKey, manifest, "application/json", done.expiresAt);
        Failpoints.pause("backup.manifest-written");
        Backup succeeded = records.succeed(id, finished);
        LOG.infof("Backup %s of %s succeeded: %s, %d bytes, sha256 %s", id, target, succeeded.objectKey,
                succeeded.sizeBytes, succeeded.sha256);
    }

    private void fail(UUID id, BackupFailure failure, boolean aborted, Target target) {
        String reason = BackupFailure.scrub(failure.getMessage(), target)
                + (aborted ? "" : " The partial upload could not be aborted yet; backup-service retries until it is.");
        records.fail(id, failure.category, reason, aborted);
        LOG.warnf("Backup %s of %s failed (%s): %s", id, target, failure.category, reason);
    }
}
