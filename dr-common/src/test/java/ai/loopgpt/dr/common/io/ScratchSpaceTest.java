package ai.loopgpt.dr.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scratch space as processes leave it: a process killed (SIGKILL) mid-job leaves its directory, with
 * the job's files; the next process of the service deletes it as it takes its own, and leaves alone
 * the directories of processes that still run and of other services.
 */
class ScratchSpaceTest {

    @TempDir
    Path tmp;

    @Test
    void whatAKilledProcessLeftIsDeletedByTheNextOneAndALiveOnesIsKept() throws Exception {
        Holder killed = Holder.start(tmp, "backup-service");
        Holder alive = Holder.start(tmp, "backup-service");
        Holder otherService = Holder.start(tmp, "recovery-service");
        try {
            killed.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertTrue(Files.isRegularFile(killed.job.resolve("toc.dat")), "the killed process's job files are left");

            try (ScratchSpace next = ScratchSpace.open(tmp, "backup-service")) {
                assertFalse(Files.exists(killed.root), "the killed process's scratch directory is deleted");
                assertFalse(Files.exists(lockOf(killed.root)), "and its lock file");
                assertTrue(Files.isRegularFile(alive.job.resolve("toc.dat")), "a running replica's job is kept");
                assertTrue(Files.isRegularFile(otherService.job.resolve("toc.dat")), "another service's job is kept");
                assertNotEquals(alive.root, next.root());
                Path job = next.createDirectory("backup-");
                assertEquals(next.root(), job.getParent());
            }
            assertEquals(List.of(alive.root, otherService.root).stream().sorted().toList(), scratchDirectories(),
                    "closed: this process's directory is gone with it");
        } finally {
            alive.process.destroyForcibly();
            otherService.process.destroyForcibly();
        }
    }

    @Test
    void aDirectoryIsKeptWhileItsProcessRunsAndDeletedOnceItIsGone() throws Exception {
        Holder holder = Holder.start(tmp, "recovery-service");
        try (ScratchSpace first = ScratchSpace.open(tmp, "recovery-service")) {
            assertTrue(Files.isDirectory(holder.root));
        }
        holder.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        try (ScratchSpace second = ScratchSpace.open(tmp, "recovery-service")) {
            assertFalse(Files.exists(holder.root));
        }
    }

    private List<Path> scratchDirectories() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Path lockOf(Path root) {
        return root.resolveSibling(root.getFileName() + ".lock");
    }

    /** Another JVM holding a scratch space with a job's files in it, until it is killed. */
    record Holder(Process process, Path root, Path job) {

        static Holder start(Path parent, String service) throws IOException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath, Holding.class.getName(), parent.toString(), service)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String job = out.readLine();
            if (job == null) {
                throw new IllegalStateException("the holding process ended before it took its scratch space");
            }
            Path jobDirectory = Path.of(job);
            return new Holder(process, jobDirectory.getParent(), jobDirectory);
        }
    }

    /** The main of {@link Holder}'s process: takes the space, writes a job's file, says where, waits. */
    public static final class Holding {
        public static void main(String[] args) throws Exception {
            ScratchSpace space = ScratchSpace.open(Path.of(args[0]), args[1]);
            Path job = space.createDirectory("backup-");
            Files.writeString(job.resolve("toc.dat"), "a dump's table of contents");
            System.out.println(job);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
