package ai.loopgpt.dr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's class-data sharing for the packaged jars the tests run as processes. Most of a service's
 * start is loading and verifying its classes (about 16,000); a dynamic archive of those classes, mapped
 * from disk, takes about a fifth off every later start's CPU, and a quarter with the classes that
 * {@link LinkLoadedClasses} links before the archive is written. A run starts services about 80 times.
 *
 * <p>The archive of a service is recorded once per package, on its first start in a run: a training
 * start of the same jar, on an empty database of its own, with its scheduler halted and no failpoints (so it
 * touches nothing a test looks at), stopped once it answers its health check; the JVM writes the classes
 * it loaded as it exits. Test JVMs running side by side take a file lock, so one records and the others
 * wait for it. drctl, which exits by itself, records on its first run. An archive is named after its
 * jar's modification time: a new package records a new one. Anything that goes wrong only costs the
 * sharing: the process starts without it, as it would have.
 */
public final class ClassDataSharing {

    private static final Object IN_THIS_JVM = new Object();
    /** Training starts tried in this JVM, by archive: a service that exits at once is tried twice at most. */
    private static final Map<Path, Integer> attempts = new HashMap<>();
    /** The JVM's notes on the archive (thousands of classes it skips) would go to the program's own output. */
    private static final String QUIET = "-Xlog:cds*=off";
    /**
     * A service's archive is recorded with {@link LinkLoadedClasses} as agent, and the JVM maps such an
     * archive only when told (these two options, at the recording and at every start that maps it).
     */
    private static final String UNLOCK = "-XX:+UnlockDiagnosticVMOptions";
    private static final String WITH_AGENT = "-XX:+AllowArchivingWithJavaAgent";

    private ClassDataSharing() {
    }

    /** The JVM options that map the archive of the service packaged as {@code jar}, recording it first if needed. */
    static List<String> forService(String module, Path jar, Map<String, String> env) {
        synchronized (IN_THIS_JVM) {
            Path archive = linkedArchive(jar);
            try (FileChannel lock = FileChannel.open(archive.resolveSibling(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); var held = lock.lock()) {
                if (!Files.exists(archive) && !Files.exists(failed(archive)) && attempts.merge(archive, 1, Integer::sum) <= 2) {
                    try {
                        record(module, jar, env, archive);
                    } catch (IOException | RuntimeException e) {
                        Files.writeString(failed(archive), "No archive recorded: " + e + "\n");
                    }
                }
            } catch (IOException e) {
                return List.of();
            }
            return Files.isRegularFile(archive) ? List.of(QUIET, UNLOCK, WITH_AGENT, "-XX:SharedArchiveFile=" + archive) : List.of();
        }
    }

    /**
     * For a program that ends by itself (drctl): the options that map its archive, or, if none is recorded
     * yet and no other run is recording it, the options that record it as this run exits (then call
     * {@link #recorded(Path)} when it has).
     */
    public static List<String> forProgram(Path jar) {
        Path archive = archive(jar);
        if (Files.isRegularFile(archive)) {
            return List.of(QUIET, "-XX:SharedArchiveFile=" + archive);
        }
        try {
            Files.createFile(recording(archive));
            return List.of(QUIET, "-XX:ArchiveClassesAtExit=" + recording(archive));
        } catch (IOException anotherRunRecords) {
            return List.of();
        }
    }

    /** After a run started with {@link #forProgram(Path)}'s options: keeps the archive it recorded, if it did. */
    public static void recorded(Path jar) {
        Path archive = archive(jar);
        Path recording = recording(archive);
        try {
            if (Files.size(recording) > 0 && !Files.exists(archive)) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException notThisRun) {
            // Not the recording run, or it wrote nothing: later runs start without sharing.
        }
    }

    /** A service's archive: recorded with every loaded class linked first. */
    private static Path linkedArchive(Path jar) {
        return archive(jar, "-linked.jsa");
    }

    /** A program's archive (drctl): the classes the JVM links itself. */
    private static Path archive(Path jar) {
        return archive(jar, ".jsa");
    }

    private static Path archive(Path jar, String suffix) {
        try {
            // <module>/target/quarkus-app/quarkus-run.jar -> <module>/target/class-data/<mtime><suffix>
            Path dir = Files.createDirectories(jar.getParent().getParent().resolve("class-data"));
            return dir.resolve(Files.getLastModifiedTime(jar).toMillis() + suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path failed(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".failed");
    }

    private static Path recording(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".recording");
    }

    private static void record(String module, Path jar, Map<String, String> env, Path archive) throws IOException {
        Path recording = recording(archive);
        Files.deleteIfExists(recording);
        Path log = archive.resolveSibling(module + "-training.log");
        String database = "class_data_" + module.replace('-', '_');
        PostgresResource.server().ensureDatabase(database, "dr", PostgresResource.servicePassword());
        int managementPort = ServiceProcess.freePort();
        Map<String, String> training = new HashMap<>(env);
        training.remove("DR_FAILPOINTS");
        training.put("QUARKUS_HTTP_PORT", Integer.toString(ServiceProcess.freePort()));
        training.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        training.put("QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.server().jdbcUrl(database));
        training.put("QUARKUS_DATASOURCE_USERNAME", "dr");
        training.put("QUARKUS_DATASOURCE_PASSWORD", PostgresResource.servicePassword());
        training.put("QUARKUS_SCHEDULER_START_MODE", "halted"); // started (programmatic jobs can be added), runs nothing
        List<String> command = new ArrayList<>(ServiceProcess.jvm());
        command.addAll(List.of(UNLOCK, WITH_AGENT, "-javaagent:" + LinkLoadedClasses.jarIn(archive.getParent()),
                "-XX:ArchiveClassesAtExit=" + recording));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(training);
        Process process = builder.start();
        try {
            String outcome = "it did not answer its health check within 90 s";
            if (answersOrExits("http://127.0.0.1:" + managementPort + "/q/health/ready", process)) {
                if (!process.isAlive()) {
                    // It does not start with this test's configuration (a test of a refusal, say): the
                    // next start, with another, records the archive.
                    return;
                }
                process.destroy();
                outcome = "it did not exit within 60 s of SIGTERM";
                if (process.waitFor(60, TimeUnit.SECONDS)) {
                    if (Files.isRegularFile(recording) && Files.size(recording) > 0) {
                        Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                        return;
                    }
                    outcome = "it exited (" + process.exitValue() + ") without writing it";
                }
            }
            Files.writeString(failed(archive), "No archive recorded: " + outcome + "; see " + log + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(recording);
        }
    }

    /** Whether the health check answers at all (ready or not: the service has started), or the process exits, within 90 s. */
    private static boolean answersOrExits(String url, Process process) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
                return true;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        return !process.isAlive();
    }
}
