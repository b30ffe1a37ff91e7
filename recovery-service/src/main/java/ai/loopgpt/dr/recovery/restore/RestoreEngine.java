package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.process.PhaseTimer;
import ai.loopgpt.dr.common.process.StderrTail;
import ai.loopgpt.dr.recovery.client.BackupClient;
import ai.loopgpt.dr.recovery.client.BackupDto;
import ai.loopgpt.dr.recovery.config.RecoverySettings.Destination;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import com.github.luben.zstd.ZstdInputStream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs one restore. The backup is always restored into a staging database first, with its SHA-256
 * checked on the way and its row counts compared with the manifest afterwards; only a verified
 * staging database becomes the result (new-database) or replaces the destination (in-place, after
 * a safety backup). A checksum mismatch or a count difference therefore never touches the
 * destination: the staging database is dropped and the restore ends FAILED, saying why.
 */
@ApplicationScoped
public class RestoreEngine {

    private static final Logger LOG = Logger.getLogger(RestoreEngine.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final RecoverySettings settings;
    private final BackupClient backups;
    private final S3Client s3;
    private final MeterRegistry metrics;
    private final Clock clock;
    /** {@code recovery.gunzip}, if found. */
    private final Optional<Path> gunzip;

    public RestoreEngine(RecoverySettings settings, BackupClient backups, S3Client s3, MeterRegistry metrics,
            Clock clock) {
        this.settings = settings;
        this.backups = backups;
        this.s3 = s3;
        this.metrics = metrics;
        this.clock = clock;
        this.gunzip = findProgram(settings.gunzip());
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A failure with a reason for humans. */
    static final class RestoreFailure extends Exception {
        RestoreFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Runs the PENDING restore {@code id} while the caller holds its {@code ownership} lock. Every
     * outcome is written to the restore; nothing is thrown.
     */
    public void run(UUID id, BackupDto backup, AdvisoryLocks.Held ownership) {
        Restore started = QuarkusTransaction.requiringNew().call(() -> {
            Restore r = Restore.findById(id);
            r.moveTo(JobPhase.RUNNING, now());
            return r;
        });
        Destination destination = settings.destinations().get(started.destination);
        boolean inPlace = "in-place".equals(started.mode);
        // Where the time goes: the phases add up to the restore's wall time (API: phases).
        PhaseTimer timer = new PhaseTimer();
        String phase = inPlace ? "safety-backup" : "prepare";
        String staging = null;
        boolean swapping = false;
        try {
            if (inPlace) {
                step(id, "safety-backup");
                Failpoints.pause("restore.safety-backup");
                UUID safety = safetyBackup(started, backup);
                QuarkusTransaction.requiringNew().run(() -> Restore.<Restore>findById(id).safetyBackupId = safety);
                timer.end(phase);
                phase = "prepare";
            }
            // The name is recorded before the database exists, so that a crash in between leaves nothing unknown.
            String stagingName = destination.database() + "_restore_" + STAMP.format(started.startedAt);
            QuarkusTransaction.requiringNew().run(() -> {
                Restore r = Restore.findById(id);
                r.stagingDatabase = stagingName;
                r.step = "restoring";
            });
            staging = stagingName;
            // Restored objects belong to whoever owns the destination, so that its application can use them.
            String owner = DatabaseAdmin.owner(destination, destination.database()).orElse(destination.user());
            DatabaseAdmin.create(destination, staging, owner);
            timer.end(phase);
            phase = "load";
            Failpoints.pause("restore.restoring");
            // The load ends its own phases: schema, data, indexes, foreign-keys and post-data as a
            // script loads; download and load where pg_restore reads an archive from disk.
            Map<String, Long> loaded = restoreInto(id, backup, destination, staging, owner, timer);

            phase = "verify";
            step(id, "verifying");
            Failpoints.pause("restore.verifying");
            verifyRowCounts(id, backup, destination, staging, loaded);
            timer.end(phase);

            if ("drill".equals(started.mode)) {
                // Verified: the drill has its evidence; the copy goes.
                phase = "drop-scratch";
                DatabaseAdmin.drop(destination, staging);
                Instant dropped = now();
                QuarkusTransaction.requiringNew().run(() -> Restore.<Restore>findById(id).scratchDroppedAt = dropped);
                timer.end(phase);
                succeed(id, null, null, timer);
                return;
            }
            if (!inPlace) {
                succeed(id, staging, null, timer);
                return;
            }
            phase = "swap";
            String replaced = DatabaseAdmin.exists(destination, destination.database())
                    ? destination.database() + "_replaced_" + STAMP.format(started.startedAt) : null;
            if (!ownership.valid()) {
                throw new RestoreFailure("This replica lost its claim on the restore (its connection to the service "
                        + "database dropped) before the swap; the destination was not replaced.");
            }
            // The intent: after a crash from here on, the databases themselves say whether the swap committed.
            QuarkusTransaction.requiringNew().run(() -> {
                Restore r = Restore.findById(id);
                r.step = "swapping";
                r.replacedDatabase = replaced;
            });
            swapping = true;
            DatabaseSwap.swap(destination, staging, replaced, settings.swapGrace());
            Failpoints.pause("restore.swap.after-commit");
            timer.end(phase);
            succeed(id, destination.database(), replaced, timer);
        } catch (Exception e) {
            String reason = e instanceof RestoreFailure ? e.getMessage()
                    : e instanceof ai.loopgpt.dr.common.problem.ProblemException p ? p.detail()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                reason = "Interrupted: recovery-service is shutting down.";
            }
            if (swapping) {
                try {
                    if (DatabaseSwap.inspect(destination, staging) == DatabaseSwap.Outcome.SWAPPED) {
                        // The renames committed before the failure: the restore is done, whatever came after.
                        Restore r = QuarkusTransaction.requiringNew().call(() -> Restore.<Restore>findById(id));
                        timer.end(phase);
                        succeed(id, destination.database(), r.replacedDatabase, timer);
                        return;
                    }
                } catch (Exception unknown) {
                    // The server cannot say: leave the restore to the reaper, which asks again.
                    LOG.warnf("Restore %s: could not tell whether the swap committed (%s); the reaper will settle it",
                            id, unknown.getMessage());
                    return;
                }
            }
            if (staging != null) {
                try {
                    DatabaseAdmin.drop(destination, staging);
                    if ("drill".equals(started.mode)) {
                        Instant dropped = now();
                        QuarkusTransaction.requiringNew().run(() -> Restore.<Restore>findById(id).scratchDroppedAt = dropped);
                    }
                } catch (Exception dropFailure) {
                    reason += " (the staging database " + staging + " could not be dropped: " + dropFailure.getMessage() + ")";
                }
            }
            timer.end(phase);
            fail(id, scrub(reason, destination), timer);
        }
    }

    /**
     * Compares the manifest's row counts with the restored copy's: those the server reported while
     * loading ({@code loaded}, from COPY tags); for other tables the rows the server counted
     * inserting (its statistics: what pg_restore loaded), and a count of the rows of any table
     * where those do not match.
     */
    private void verifyRowCounts(UUID id, BackupDto backup, Destination destination, String staging,
            Map<String, Long> loaded) throws SQLException, InterruptedException, RestoreFailure {
        Map<String, Long> found = new java.util.HashMap<>();
        java.util.Set<String> toCount = new java.util.TreeSet<>();
        backup.tableRows().keySet().forEach(table -> {
            if (loaded.containsKey(table)) {
                found.put(table, loaded.get(table));
            } else {
                toCount.add(table);
            }
        });
        if (!toCount.isEmpty()) {
            // The staging database is new: every row in it was inserted by this restore.
            Map<String, Long> inserted = DatabaseAdmin.insertedRows(destination, staging);
            toCount.removeIf(table -> {
                boolean matches = backup.tableRows().get(table).equals(inserted.get(table));
                if (matches) {
                    found.put(table, inserted.get(table));
                }
                return matches;
            });
        }
        if (!toCount.isEmpty()) {
            found.putAll(DatabaseAdmin.rowCounts(destination, staging, toCount));
        }
        List<String> differences = new ArrayList<>();
        backup.tableRows().forEach((table, expected) -> {
            long actual = found.getOrDefault(table, -1L);
            if (actual != expected) {
                differences.add(table + " (manifest " + expected + ", restored " + (actual < 0 ? "missing" : actual) + ")");
            }
        });
        Map<String, Long> counted = new java.util.TreeMap<>(found);
        QuarkusTransaction.requiringNew().run(() -> {
            Restore r = Restore.findById(id);
            r.tablesVerified = backup.tableRows().size() - differences.size();
            r.tableRows = counted;
        });
        if (!differences.isEmpty()) {
            throw new RestoreFailure("Row counts differ from the manifest in " + String.join(", ", differences)
                    + ". The restored copy was discarded.");
        }
    }

    /** Ends the restore SUCCEEDED: {@code restored} holds the backup, {@code replaced} the destination's old data. */
    void succeed(UUID id, String restored, String replaced) {
        succeed(id, restored, replaced, null);
    }

    private void succeed(UUID id, String restored, String replaced, PhaseTimer timer) {
        Restore done = QuarkusTransaction.requiringNew().call(() -> {
            Restore r = Restore.findById(id);
            if (timer != null) {
                r.phaseMillis = timer.phases();
            }
            r.restoredDatabase = restored;
            r.replacedDatabase = replaced;
            r.stagingDatabase = null;
            r.moveTo(JobPhase.SUCCEEDED, now());
            return r;
        });
        record(done);
        LOG.infof("Restore %s of backup %s into %s succeeded in %s", id, done.backupId, restored,
                Duration.between(done.startedAt, done.finishedAt));
    }

    /** Ends the restore FAILED for {@code reason}; the destination holds its original data. */
    void fail(UUID id, String reason) {
        fail(id, reason, null);
    }

    private void fail(UUID id, String reason, PhaseTimer timer) {
        Restore failed = QuarkusTransaction.requiringNew().call(() -> {
            Restore r = Restore.findById(id);
            if (timer != null) {
                r.phaseMillis = timer.phases();
            }
            r.replacedDatabase = null;
            r.failureReason = reason;
            r.moveTo(JobPhase.FAILED, now());
            return r;
        });
        record(failed);
        LOG.warnf("Restore %s of backup %s failed: %s", id, failed.backupId, reason);
    }

    private void step(UUID id, String step) {
        QuarkusTransaction.requiringNew().run(() -> Restore.<Restore>findById(id).step = step);
    }

    private UUID safetyBackup(Restore restore, BackupDto restoring) throws Exception {
        BackupDto safety = backups.requestBackup(restore.destination, "pre-change",
                "Safety backup before in-place restore " + restore.id + " of backup " + restoring.id());
        long deadline = System.nanoTime() + settings.safetyBackupTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            BackupDto now = backups.backup(safety.id()).orElseThrow(
                    () -> new RestoreFailure("The safety backup " + safety.id() + " vanished from backup-service."));
            if (now.succeeded()) {
                return now.id();
            }
            if (now.failed()) {
                throw new RestoreFailure("The safety backup " + safety.id() + " failed, so the destination was not touched: "
                        + now.failureReason());
            }
            Thread.sleep(500);
        }
        throw new RestoreFailure("The safety backup " + safety.id() + " did not finish within "
                + settings.safetyBackupTimeout() + "; the destination was not touched.");
    }

    /** Restores the backup into {@code staging}; returns the rows per table the server reported while loading. */
    private Map<String, Long> restoreInto(UUID id, BackupDto backup, Destination destination, String staging,
            String owner, PhaseTimer timer) throws Exception {
        Map<String, Long> loaded = Map.of();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Progress progress = new Progress(id);
        try (InputStream object = s3.getObject(b -> b.bucket(backup.bucket()).key(backup.objectKey()));
                DigestingStream raw = new DigestingStream(object, sha256, progress::bytes);
                InputStream data = decompress(backup.compression(), raw, progress)) {
            try {
                switch (backup.format()) {
                    // The checksum is checked once the object was read, before indexes and keys are built.
                    case "plain" -> loaded = load(data, () -> verifyChecksum(raw, backup), destination, staging,
                            owner, progress, timer);
                    case "custom" -> loaded = restoreArchive(data, raw, backup, destination, staging, owner, false,
                            progress, timer);
                    case "directory" -> loaded = restoreArchive(data, raw, backup, destination, staging, owner, true,
                            progress, timer);
                    default -> throw new RestoreFailure("Backup format '" + backup.format()
                            + "' cannot be restored by this version.");
                }
            } catch (Exception e) {
                if (data instanceof PipedDecompressor piped) {
                    // Its thread reads the object: stopped first, so that the check reads the rest alone.
                    piped.stop();
                }
                if (!raw.checked) {
                    // Damaged data often breaks decompression before the end: the checksum names the real cause.
                    verifyChecksum(raw, backup);
                }
                throw e;
            }
        }
        progress.flush();
        return loaded;
    }

    private InputStream decompress(String compression, InputStream in, Progress progress) throws IOException {
        return switch (compression) {
            case "gzip" -> gunzip.isPresent()
                    ? new PipedDecompressor(List.of(gunzip.get().toString(), "-dc"), in, progress::tick)
                    : new GZIPInputStream(in, 1 << 16);
            case "zstd" -> new BufferedInputStream(new ZstdInputStream(in), 1 << 16);
            default -> throw new IOException("Unknown compression " + compression);
        };
    }

    /** {@code program}, if found (as a path, or on the PATH); {@code none}: not looked for. */
    private static Optional<Path> findProgram(String program) {
        Stream<Path> candidates = program.equals("none") ? Stream.empty()
                : program.contains("/") ? Stream.of(Path.of(program))
                : Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                        .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program));
        return candidates.filter(Files::isExecutable).findFirst();
    }

    private void verifyChecksum(DigestingStream raw, BackupDto backup) throws IOException, RestoreFailure {
        raw.checked = true;
        raw.transferTo(OutputStream.nullOutputStream());
        String actual = HexFormat.of().formatHex(raw.digest());
        if (!actual.equals(backup.sha256())) {
            throw new RestoreFailure("Checksum mismatch: the object s3://" + backup.bucket() + "/" + backup.objectKey()
                    + " has SHA-256 " + actual + " but its manifest says " + backup.sha256()
                    + ". It was altered or damaged; the destination was not touched. Restore another backup.");
        }
    }

    /**
     * Loads a plain pg_dump script into {@code staging} over psql sessions in parallel (see
     * {@link PlainLoad}), autovacuum kept off its tables while their rows load; {@code endOfInput}
     * runs once the script was read to its end.
     */
    private Map<String, Long> load(InputStream script, PlainLoad.Hook endOfInput, Destination destination,
            String staging, String owner, Progress progress, PhaseTimer timer) throws Exception {
        List<String> command = List.of(settings.psql(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", destination.host(), "-p", Integer.toString(destination.port()), "-U", destination.user(),
                "-d", staging);
        PlainLoad load = new PlainLoad(() -> start(command, destination, owner, true),
                () -> DatabaseAdmin.connect(destination, staging, sessionOptions(owner, destination)),
                settings.loadSessions(), tables -> progress.tables(1), timer);
        List<String> paused = new ArrayList<>();
        Map<String, Long> rows = load.load(script,
                () -> paused.addAll(DatabaseAdmin.pauseAutovacuum(destination, staging, owner)), endOfInput);
        DatabaseAdmin.resumeAutovacuum(destination, staging, owner, paused);
        timer.end("post-data");
        return rows;
    }

    /**
     * Directory archives whose table of contents comes first load as they stream in, as a plain
     * script does (see {@link ArchiveScript}); other archives are downloaded and checked first,
     * then loaded by pg_restore in parallel.
     */
    private Map<String, Long> restoreArchive(InputStream data, DigestingStream raw, BackupDto backup,
            Destination destination, String staging, String owner, boolean directory, Progress progress,
            PhaseTimer timer) throws Exception {
        Path work = Files.createTempDirectory("restore-");
        try {
            Path archive;
            if (directory) {
                Optional<ArchiveScript> script = ArchiveScript.open(data, work, settings.pgRestore());
                if (script.isPresent()) {
                    return load(script.get(), () -> verifyChecksum(raw, backup), destination, staging, owner,
                            progress, timer);
                }
                archive = work.resolve("dump");
            } else {
                archive = work.resolve("backup.dump");
                Files.copy(data, archive);
                TarReader.flushToDisk(archive);
            }
            verifyChecksum(raw, backup);
            // An archive is downloaded (and checked) before pg_restore reads it: that is its own phase.
            timer.end("download");
            List<String> command = new ArrayList<>(List.of(settings.pgRestore(), "--no-owner", "--no-privileges",
                    "--exit-on-error", "-h", destination.host(), "-p", Integer.toString(destination.port()),
                    "-U", destination.user(), "-d", staging, "--format", directory ? "directory" : "custom"));
            // The tables first, so that autovacuum can be kept off them while their rows load (as in a plain restore).
            pgRestore(command, List.of("--section=pre-data", archive.toString()), destination, owner);
            List<String> paused = DatabaseAdmin.pauseAutovacuum(destination, staging, owner);
            pgRestore(command, List.of("--section=data", "--section=post-data",
                    "--jobs", Integer.toString(settings.loadSessions()), archive.toString()), destination, owner);
            DatabaseAdmin.resumeAutovacuum(destination, staging, owner, paused);
            timer.end("load");
            return Map.of();
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void pgRestore(List<String> command, List<String> more, Destination destination, String owner)
            throws IOException, InterruptedException, RestoreFailure {
        List<String> all = new ArrayList<>(command);
        all.addAll(more);
        Process restore = start(all, destination, owner, false);
        StderrTail stderr = new StderrTail(restore.getErrorStream(), "pg_restore");
        restore.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!restore.waitFor(6, TimeUnit.HOURS) || restore.exitValue() != 0) {
            throw new RestoreFailure("pg_restore failed (exit " + restore.exitValue() + "): " + stderr.text());
        }
    }

    private Process start(List<String> command, Destination destination, String owner, boolean readOutput)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("PGPASSWORD");
        destination.password().ifPresent(p -> builder.environment().put("PGPASSWORD", p));
        builder.environment().put("PGOPTIONS", sessionOptions(owner, destination));
        builder.environment().put("PGAPPNAME", "loopgpt-dr-restore");
        return readOutput ? builder.start() : builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The settings of every session of a restore (PGOPTIONS). */
    private String sessionOptions(String owner, Destination destination) {
        // A restore is rebuilt from scratch if it fails: trade durability of each commit for speed.
        StringBuilder options = new StringBuilder("-c synchronous_commit=off");
        settings.maintenanceWorkers().ifPresent(n -> options.append(" -c max_parallel_maintenance_workers=").append(n));
        if (!owner.equals(destination.user())) {
            options.append(" -c role=").append(owner);
        }
        return options.toString();
    }

    private void record(Restore r) {
        Timer.builder("dr.restore.duration").description("Wall time of restores (RTO evidence)")
                .tags("destination", r.destination, "mode", r.mode,
                        "outcome", r.phase == JobPhase.SUCCEEDED ? "succeeded" : "failed")
                .register(metrics).record(Duration.between(r.startedAt, r.finishedAt));
    }

    static String scrub(String message, Destination destination) {
        return destination.password().filter(p -> !p.isEmpty()).map(p -> message.replace(p, "****")).orElse(message);
    }

    /** Writes progress to the database at most every second. */
    private final class Progress {
        private final UUID id;
        /** The restore's thread: the one that writes; the bytes may be counted on another (PipedDecompressor). */
        private final Thread owner = Thread.currentThread();
        private volatile long bytes;
        private int tables;
        private long lastWrite;

        Progress(UUID id) {
            this.id = id;
        }

        void bytes(long total) {
            bytes = total;
            if (Thread.currentThread() == owner) {
                maybeFlush();
            }
        }

        /** A moment to write, if on the restore's thread. */
        void tick() {
            if (Thread.currentThread() == owner) {
                maybeFlush();
            }
        }

        void tables(int more) {
            tables += more;
            maybeFlush();
        }

        private void maybeFlush() {
            long now = System.nanoTime();
            if (now - lastWrite > 1_000_000_000L) {
                lastWrite = now;
                flush();
            }
        }

        void flush() {
            long b = bytes;
            int t = tables;
            QuarkusTransaction.requiringNew().run(() -> {
                Restore r = Restore.findById(id);
                r.bytesRead = b;
                r.tablesRestored = t;
            });
        }
    }

    /** Counts the bytes read and hashes them. */
    static final class DigestingStream extends FilterInputStream {
        private final MessageDigest digest;
        private final LongConsumer onProgress;
        private long count;
        boolean checked;

        DigestingStream(InputStream in, MessageDigest digest, LongConsumer onProgress) {
            super(in);
            this.digest = digest;
            this.onProgress = onProgress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
                onProgress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
                onProgress.accept(count);
            }
            return n;
        }

        byte[] digest() {
            return digest.digest();
        }
    }
}
