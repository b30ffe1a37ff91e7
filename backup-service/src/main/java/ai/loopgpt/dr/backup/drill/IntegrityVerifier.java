package ai.loopgpt.dr.backup.drill;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.storage.BackupManifest;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.common.io.ScratchSpace;
import ai.loopgpt.dr.common.io.Sha256InputStream;
import ai.loopgpt.dr.common.process.StderrTail;
import ai.loopgpt.dr.common.retry.Failures;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Checks a stored backup as a restore would read it: the object re-read from S3, its size and
 * SHA-256 against the manifest beside it, then decompressed in full and checked complete (a plain
 * dump ends with pg_dump's completion line; custom and directory archives list with
 * {@code pg_restore --list}). Nothing is trusted from the catalog but the keys.
 */
@ApplicationScoped
public class IntegrityVerifier {

    /** The last line pg_dump writes to a complete plain dump. */
    static final String COMPLETION_LINE = "-- PostgreSQL database dump complete";

    private final BackupStore store;
    private final ObjectMapper json;
    private final BackupSettings settings;
    private final ScratchSpace scratch;

    public IntegrityVerifier(BackupStore store, ObjectMapper json, BackupSettings settings, ScratchSpace scratch) {
        this.scratch = scratch;
        this.store = store;
        this.json = json;
        this.settings = settings;
    }

    /** The verdict and what it rests on. */
    public record Outcome(boolean passed, String reason, Map<String, Object> evidence) {
    }

    public Outcome verify(Backup b) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("backupId", b.id.toString());
        evidence.put("objectKey", b.objectKey);
        evidence.put("manifestKey", b.manifestKey);
        long started = System.nanoTime();
        try {
            return check(b, evidence);
        } finally {
            evidence.put("durationMillis", (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Outcome check(Backup b, Map<String, Object> evidence) {
        BackupManifest manifest;
        try {
            manifest = json.readValue(store.get(b.manifestKey), BackupManifest.class);
        } catch (NoSuchKeyException e) {
            return new Outcome(false, "The manifest " + b.manifestKey + " is missing from the bucket.", evidence);
        } catch (IOException e) {
            return new Outcome(false, "The manifest " + b.manifestKey + " cannot be read: " + Failures.describe(e), evidence);
        }
        evidence.put("manifestSizeBytes", manifest.sizeBytes());
        evidence.put("manifestSha256", manifest.sha256());
        Path work = null;
        String incomplete = null;
        try (Sha256InputStream object = new Sha256InputStream(store.open(b.objectKey))) {
            work = scratch.createDirectory("verify-" + b.id);
            try {
                InputStream plain = decompress(b.compression, object);
                incomplete = switch (b.format) {
                    case PLAIN -> plainIncomplete(plain, evidence);
                    case CUSTOM -> archiveIncomplete(copyTo(plain, work.resolve("dump.custom")), evidence);
                    case DIRECTORY -> archiveIncomplete(untar(plain, work), evidence);
                };
            } catch (IOException e) {
                incomplete = "the " + b.compression.code() + " stream is damaged or cut short ("
                        + Failures.describe(e) + ")";
            }
            object.drain();
            evidence.put("sizeBytes", object.count());
            evidence.put("sha256", object.sha256());
            if (object.count() != manifest.sizeBytes() || !object.sha256().equals(manifest.sha256())) {
                return new Outcome(false, "Checksum mismatch: the manifest says SHA-256 " + manifest.sha256() + " ("
                        + manifest.sizeBytes() + " bytes); the object in the bucket hashes to " + object.sha256() + " ("
                        + object.count() + " bytes). The object was altered or replaced after the backup.", evidence);
            }
        } catch (NoSuchKeyException e) {
            return new Outcome(false, "The object " + b.objectKey + " is missing from the bucket.", evidence);
        } catch (IOException | RuntimeException e) {
            return new Outcome(false, "The object could not be read back from the bucket: " + Failures.describe(e),
                    evidence);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "Interrupted: backup-service is shutting down.", evidence);
        } finally {
            ScratchSpace.deleteQuietly(work);
        }
        if (incomplete != null) {
            return new Outcome(false, "Incomplete dump: " + incomplete + ".", evidence);
        }
        return new Outcome(true, null, evidence);
    }

    private static InputStream decompress(Compression compression, InputStream in) throws IOException {
        return switch (compression) {
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new BufferedInputStream(new ZstdInputStream(in), 1 << 16);
        };
    }

    /** Reads the whole dump; null if it ends with the completion line, else what is wrong. */
    private static String plainIncomplete(InputStream plain, Map<String, Object> evidence) throws IOException {
        byte[] buffer = new byte[1 << 16];
        byte[] tail = new byte[0];
        long total = 0;
        for (int n; (n = plain.read(buffer)) > 0; ) {
            total += n;
            byte[] joined = new byte[Math.min(1024, tail.length + n)];
            int fromBuffer = Math.min(n, joined.length);
            int fromTail = joined.length - fromBuffer;
            System.arraycopy(tail, tail.length - fromTail, joined, 0, fromTail);
            System.arraycopy(buffer, n - fromBuffer, joined, fromTail, fromBuffer);
            tail = joined;
        }
        evidence.put("uncompressedBytes", total);
        boolean complete = new String(tail, StandardCharsets.UTF_8).contains(COMPLETION_LINE);
        evidence.put("completionLine", complete);
        return complete ? null : "it does not end with pg_dump's completion line ('" + COMPLETION_LINE
                + "'): the dump was cut short";
    }

    private static Path copyTo(InputStream in, Path file) throws IOException {
        Files.copy(in, file);
        return file;
    }

    /** Extracts the tar of a directory-format dump with tar(1); returns the dump folder. */
    private static Path untar(InputStream in, Path work) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-x", "-C", work.toString()).redirectErrorStream(true).start();
        try (OutputStream stdin = tar.getOutputStream()) {
            in.transferTo(stdin);
        }
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tar.waitFor(10, TimeUnit.MINUTES) || tar.exitValue() != 0) {
            throw new IOException("the tar archive cannot be extracted: " + output.strip());
        }
        return work.resolve("dump");
    }

    /** Lists the archive with pg_restore; null if it lists, else why not. */
    private String archiveIncomplete(Path archive, Map<String, Object> evidence) throws IOException, InterruptedException {
        Process list = new ProcessBuilder(pgRestore(), "--list", archive.toString()).start();
        StderrTail stderr = new StderrTail(list.getErrorStream(), "pg_restore");
        long entries;
        try (Stream<String> lines = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()) {
            entries = lines.filter(line -> !line.isBlank() && !line.startsWith(";")).count();
        }
        if (!list.waitFor(10, TimeUnit.MINUTES)) {
            list.destroyForcibly();
            return "pg_restore --list did not finish within 10 minutes";
        }
        evidence.put("archiveEntries", entries);
        return list.exitValue() == 0 ? null : "pg_restore --list refuses the archive (exit " + list.exitValue() + "): "
                + stderr.text();
    }

    /** pg_restore beside the configured pg_dump. */
    private String pgRestore() {
        String dump = settings.pgDump();
        return dump.endsWith("pg_dump") ? dump.substring(0, dump.length() - "pg_dump".length()) + "pg_restore" : "pg_restore";
    }
}
