package ai.loopgpt.dr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * The JDK's class-data sharing for a packaged jar that the tests start many times (a service killed
 * and started again at each step of a job, drctl run once per command): the first run that exits
 * normally records the classes it loaded ({@code -XX:ArchiveClassesAtExit}); later runs map that
 * archive instead of loading, parsing and verifying those classes again, which takes about a fifth
 * of the CPU a service needs to start. The archive is named after the jar's size and time, so a jar
 * packaged again gets a new one; a run killed before it exits leaves no archive, and the next run
 * records. The JVM checks the archive against the jar and the JDK and ignores one that does not
 * match, so the worst case is a start without it. CDS logging is off: drctl's output stays its own.
 */
public final class ClassDataArchive {

    private final Path archive;
    private final Path recording;

    private ClassDataArchive(Path archive, Path recording) {
        this.archive = archive;
        this.recording = recording;
    }

    /** The archive of {@code jar}: mapped if one was recorded, else recorded by this run. */
    public static ClassDataArchive of(Path jar) {
        try {
            Path dir = jar.toAbsolutePath().getParent().resolveSibling("class-data"); // target/class-data
            Path archive = dir.resolve("run-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
            if (Files.isRegularFile(archive)) {
                return new ClassDataArchive(archive, null);
            }
            Files.createDirectories(dir);
            return new ClassDataArchive(archive, dir.resolve("recording-" + UUID.randomUUID() + ".jsa"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM options, before {@code -jar}. */
    public List<String> options() {
        return recording == null ? List.of("-Xlog:cds*=off", "-XX:SharedArchiveFile=" + archive)
                : List.of("-Xlog:cds*=off", "-XX:ArchiveClassesAtExit=" + recording);
    }

    /**
     * After the run: a recording of a JVM that exited on its own or on SIGTERM (it dumps at exit)
     * becomes the archive; one of a JVM killed, possibly in the middle of its dump, is deleted.
     */
    public void exited(int exitCode) {
        if (recording == null) {
            return;
        }
        try {
            // Any exit but a kill by signal (128 + the signal) passes through the JVM's exit, which dumps;
            // SIGTERM and SIGINT start that exit too.
            boolean clean = exitCode < 128 || exitCode == 143 || exitCode == 130;
            if (clean && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                try {
                    Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(recording, archive, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (IOException e) {
            // Another run recorded it first, or the directory went away with `clean`: no archive this time.
            try {
                Files.deleteIfExists(recording);
            } catch (IOException ignored) {
                // Nothing left to do.
            }
        }
    }
}
