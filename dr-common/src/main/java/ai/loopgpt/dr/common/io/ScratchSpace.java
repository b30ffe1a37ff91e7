package ai.loopgpt.dr.common.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One process's scratch space on local disk, for what is too large to hold in memory: a directory
 * dump before its upload, an archive before pg_restore reads it, a change segment before it is
 * sealed. A job deletes its own directory when it ends; a process killed mid-job cannot, and in
 * Kubernetes the Pod's {@code emptyDir} /tmp outlives the container, so every crash would keep a
 * dump's worth of disk until the Pod goes, and the next job could run out of it.
 *
 * <p>So each process works in a directory of its own, {@code <service>-scratch-<pid>-<n>} in
 * {@code java.io.tmpdir}, beside a {@code <service>-scratch-<pid>-<n>.lock} file that it holds locked
 * while it lives; the operating system releases the lock however the process ends. A new process
 * deletes, before taking its own, every scratch directory of its service whose lock it can take:
 * those of processes that are gone. Replicas or other services sharing the directory (the
 * launcher's data directory, tests) keep theirs, locked.
 */
public final class ScratchSpace implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ScratchSpace.class);

    private final Path root;
    private final FileChannel owner;
    private final FileLock lock;

    private ScratchSpace(Path root, FileChannel owner, FileLock lock) {
        this.root = root;
        this.owner = owner;
        this.lock = lock;
    }

    /**
     * Deletes what earlier processes of {@code service} left in {@code parent}, then takes this
     * process's own scratch directory there.
     */
    public static ScratchSpace open(Path parent, String service) throws IOException {
        Files.createDirectories(parent);
        for (Path left : sweep(parent, service)) {
            LOG.infof("Deleted %s, left by a %s process that ended before it could", left, service);
        }
        // Named after the process too, so that an operator (or a test) can tell whose it is.
        Path lockFile = Files.createTempFile(parent, service + "-scratch-" + ProcessHandle.current().pid() + "-", ".lock");
        FileChannel owner = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        try {
            FileLock lock = owner.lock();
            Path root = Files.createDirectory(directoryOf(lockFile));
            return new ScratchSpace(root, owner, lock);
        } catch (IOException | RuntimeException e) {
            owner.close();
            Files.deleteIfExists(lockFile);
            throw e;
        }
    }

    /** This process's scratch space in {@code java.io.tmpdir}. */
    public static ScratchSpace open(String service) throws IOException {
        return open(Path.of(System.getProperty("java.io.tmpdir")), service);
    }

    /**
     * Deletes the scratch directories of {@code service} in {@code parent} whose owner is gone (their
     * lock file can be locked), with their lock files; returns them.
     */
    static List<Path> sweep(Path parent, String service) throws IOException {
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> locks = Files.newDirectoryStream(parent, service + "-scratch-*.lock")) {
            for (Path lockFile : locks) {
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                        FileLock gone = channel.tryLock()) {
                    if (gone == null) {
                        continue; // its process lives
                    }
                    Path directory = directoryOf(lockFile);
                    if (Files.exists(directory)) {
                        deleteTree(directory);
                        deleted.add(directory);
                    }
                    Files.delete(lockFile);
                } catch (OverlappingFileLockException thisProcess) {
                    // Held by this very process (an earlier instance in the same JVM, as in tests): not left over.
                } catch (IOException e) {
                    LOG.warnf("Could not delete the scratch space of %s: %s", lockFile, e.getMessage());
                }
            }
        }
        return deleted;
    }

    private static Path directoryOf(Path lockFile) {
        String name = lockFile.getFileName().toString();
        return lockFile.resolveSibling(name.substring(0, name.length() - ".lock".length()));
    }

    /** A new, empty directory for one job; the job deletes it ({@link #deleteTree(Path)}) when it ends. */
    public Path createDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(root, prefix);
    }

    /** This process's scratch directory. */
    public Path root() {
        return root;
    }

    /** Deletes {@code path} and everything under it, if it exists. */
    public static void deleteTree(Path path) throws IOException {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@link #deleteTree(Path)}, saying in the log when it could not. */
    public static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", path, e.getMessage());
        }
    }

    /** Deletes this process's scratch directory and gives up its lock (at shutdown). */
    @Override
    public void close() {
        deleteQuietly(root);
        try {
            lock.release();
            owner.close();
            Files.deleteIfExists(root.resolveSibling(root.getFileName() + ".lock"));
        } catch (IOException e) {
            LOG.warnf("Could not release the scratch space %s: %s", root, e.getMessage());
        }
    }
}
