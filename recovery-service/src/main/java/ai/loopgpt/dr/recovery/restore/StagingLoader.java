package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.io.ScratchSpace;
import ai.loopgpt.dr.common.io.Sha256InputStream;
import ai.loopgpt.dr.common.process.PhaseTimer;
import ai.loopgpt.dr.common.process.StderrTail;
import ai.loopgpt.dr.recovery.client.BackupDto;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.config.RecoverySettings.Destination;
import ai.loopgpt.dr.recovery.restore.RestoreEngine.RestoreFailure;
import ai.loopgpt.dr.recovery.restore.load.ArchiveScript;
import ai.loopgpt.dr.recovery.restore.load.ChangeReplay;
import ai.loopgpt.dr.recovery.restore.load.PlainLoad;
import ai.loopgpt.dr.recovery.restore.load.TarReader;
import com.github.luben.zstd.ZstdInputStream;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Loads a backup's object into a staging database: read from S3 and decompressed as it streams,
 * its SHA-256 checked on the way (before indexes and keys are built, or before pg_restore reads a
 * downloaded archive); a plain script over psql sessions in parallel ({@link PlainLoad}), an archive
 * by pg_restore. Its sessions act as the destination's owner.
 */
@ApplicationScoped
public class StagingLoader {

    private final RecoverySettings settings;
    private final S3Client s3;
    /** {@code recovery.gunzip}, if found. */
    private final Optional<Path> gunzip;
    private final ScratchSpace scratch;

    public StagingLoader(RecoverySettings settings, S3Client s3, ScratchSpace scratch) {
        this.scratch = scratch;
        this.settings = settings;
        this.s3 = s3;
        this.gunzip = findProgram(settings.gunzip());
    }

    /** Takes the scratch space as the service starts, deleting what a killed predecessor left there. */
    void takeScratchSpace(@Observes StartupEvent event) {
        scratch.root(); // the space is made, and what a killed predecessor left deleted, as the bean is
    }

    /** Restores the backup into {@code staging}; returns the rows per table the server reported while loading. */
    Map<String, Long> load(BackupDto backup, Destination destination, String staging, String owner,
            RestoreProgress progress, PhaseTimer timer) throws Exception {
        Map<String, Long> loaded = Map.of();
        try (InputStream object = s3.getObject(b -> b.bucket(backup.bucket()).key(backup.objectKey()));
                Sha256InputStream hashed = new Sha256InputStream(object, progress::bytes);
                InputStream data = decompress(backup.compression(), hashed, progress)) {
            ObjectChecksum checksum = new ObjectChecksum(hashed, backup);
            try {
                switch (backup.format()) {
                    // The checksum is checked once the object was read, before indexes and keys are built.
                    case "plain" -> loaded = loadScript(data, checksum::verify, destination, staging, owner, progress,
                            timer);
                    case "custom" -> loaded = restoreArchive(data, checksum, destination, staging, owner, false,
                            progress, timer);
                    case "directory" -> loaded = restoreArchive(data, checksum, destination, staging, owner, true,
                            progress, timer);
                    default -> throw new RestoreFailure("Backup format '" + backup.format()
                            + "' cannot be restored by this version.");
                }
            } catch (Exception e) {
                if (data instanceof PipedDecompressor piped) {
                    // Its thread reads the object: stopped first, so that the check reads the rest alone.
                    piped.stop();
                }
                if (!checksum.checked) {
                    // Damaged data often breaks decompression before the end: the checksum names the real cause.
                    checksum.verify();
                }
                throw e;
            }
        }
        progress.flush();
        return loaded;
    }

    /**
     * Replays {@code segments} (from {@code bucket}) onto the verified base in {@code staging}, up to
     * {@code toTime}, as the destination's owner. Triggers stay quiet, as on a logical replica: by
     * {@code session_replication_role = replica} where the destination's user may set it (a superuser),
     * else by disabling the tables' own triggers for the replay.
     */
    ChangeReplay.Reached replay(List<ChangeReplay.Segment> segments, java.time.Instant toTime, String bucket,
            Destination destination, String staging, String owner, java.util.function.IntConsumer progress)
            throws Exception {
        boolean superuser;
        try (java.sql.Connection c = DatabaseAdmin.connect(destination, staging);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")) {
            superuser = rs.next() && rs.getBoolean(1);
        }
        String options = sessionOptions(owner, destination) + (superuser ? " -c session_replication_role=replica" : "");
        // The simple query protocol: a batch of statements goes as one message, parsed by the server at once.
        try (java.sql.Connection session = DatabaseAdmin.connect(destination, staging, options,
                Map.of("preferQueryMode", "simple"))) {
            List<String> quieted = superuser ? List.of() : DatabaseAdmin.disableTriggers(session);
            session.setAutoCommit(false);
            ChangeReplay.Reached reached = new ChangeReplay(key -> s3.getObject(b -> b.bucket(bucket).key(key)), session,
                    toTime).replay(segments, progress);
            session.setAutoCommit(true);
            DatabaseAdmin.enableTriggers(session, quieted);
            return reached;
        }
    }

    private InputStream decompress(String compression, InputStream in, RestoreProgress progress) throws IOException {
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

    /** The object's SHA-256 against its manifest, checked once (the rest of the object read first). */
    private static final class ObjectChecksum {
        private final Sha256InputStream object;
        private final BackupDto backup;
        /** Whether the checksum was checked (the rest read to its end and compared). */
        boolean checked;

        ObjectChecksum(Sha256InputStream object, BackupDto backup) {
            this.object = object;
            this.backup = backup;
        }

        void verify() throws IOException, RestoreFailure {
            checked = true;
            object.drain();
            String actual = object.sha256();
            if (!actual.equals(backup.sha256())) {
                throw new RestoreFailure("Checksum mismatch: the object s3://" + backup.bucket() + "/"
                        + backup.objectKey() + " has SHA-256 " + actual + " but its manifest says " + backup.sha256()
                        + ". It was altered or damaged; the destination was not touched. Restore another backup.");
            }
        }
    }

    /**
     * Loads a plain pg_dump script into {@code staging} over psql sessions in parallel (see
     * {@link PlainLoad}), autovacuum kept off its tables while their rows load; {@code endOfInput}
     * runs once the script was read to its end.
     */
    private Map<String, Long> loadScript(InputStream script, PlainLoad.Hook endOfInput, Destination destination,
            String staging, String owner, RestoreProgress progress, PhaseTimer timer) throws Exception {
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
    private Map<String, Long> restoreArchive(InputStream data, ObjectChecksum checksum, Destination destination,
            String staging, String owner, boolean directory, RestoreProgress progress, PhaseTimer timer) throws Exception {
        Path work = scratch.createDirectory("restore-");
        try {
            Path archive;
            if (directory) {
                Optional<ArchiveScript> script = ArchiveScript.open(data, work, settings.pgRestore());
                if (script.isPresent()) {
                    return loadScript(script.get(), checksum::verify, destination, staging, owner, progress, timer);
                }
                archive = work.resolve("dump");
            } else {
                archive = work.resolve("backup.dump");
                Files.copy(data, archive);
                TarReader.flushToDisk(archive);
            }
            checksum.verify();
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
            ScratchSpace.deleteTree(work);
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
}
