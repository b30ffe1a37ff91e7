package ai.loopgpt.dr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the suite's services run from its packaged jar as a child process on a random loopback
 * port, against the test PostgreSQL and token issuer: what tests use when a service must really be
 * a separate process (a peer of the service under test, or one killed and started again).
 */
public final class ServiceProcess implements AutoCloseable {

    /** How long a start may take: the launcher's default (on a loaded 2-core machine a start has taken longer than 90 s). */
    private static final int START_SECONDS = 180;

    private final String module;
    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private final int managementPort;
    private final String awaited;
    private Process process;
    private long logStart;

    private ServiceProcess(String module, Map<String, String> env, Path log, int port, int managementPort, String awaited) {
        this.awaited = awaited;
        this.module = module;
        this.env = env;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * Starts {@code module} (its {@code target/quarkus-app} must exist) with the shared test database,
     * the test token issuer and {@code env}, and waits until it is ready. Output goes to
     * {@code target/<module>-<port>.log}: its own file, also when another test JVM of the module
     * (a second fork) runs the same service at the same time.
     */
    public static ServiceProcess start(String module, Map<String, String> env) {
        return start(module, url -> env);
    }

    /** As {@link #start(String, Map)}, with an environment that may name the service's own URL (public links). */
    public static ServiceProcess start(String module, java.util.function.Function<String, Map<String, String>> envForUrl) {
        return start(module, freePort(), true, envForUrl);
    }

    /**
     * A port free now: for a service whose URL its peers must know before it starts. Chosen below the
     * kernel's ephemeral range (32768 and up), where no outgoing connection of another test can take it
     * in the seconds before the service binds it; never one this JVM handed out before.
     */
    public static int freePort() {
        synchronized (HANDED_OUT) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
                if (HANDED_OUT.contains(port)) {
                    continue;
                }
                try (ServerSocket socket = new ServerSocket(port)) {
                    HANDED_OUT.add(port);
                    return port;
                } catch (IOException taken) {
                    // Another process listens there: try another.
                }
            }
        }
        throw new IllegalStateException("no free port found between 20000 and 32000");
    }

    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    /**
     * As {@link #start(String, Map)}, on {@code port}; with {@code awaitReady} false it waits only until
     * the service is live (a service that can never be ready, its bucket refusing its key, say).
     */
    public static ServiceProcess start(String module, int port, boolean awaitReady,
            java.util.function.Function<String, Map<String, String>> envForUrl) {
        jar(module);
        try {
            int managementPort = freePort();
            Path key = Tokens.issuer().writePublicKey(Files.createTempDirectory("jwt").resolve("issuer-public.pem"));
            Map<String, String> all = new HashMap<>(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort),
                    "QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.server().jdbcUrl(PostgresResource.SERVICE_DATABASE),
                    "QUARKUS_DATASOURCE_USERNAME", "dr",
                    "QUARKUS_DATASOURCE_PASSWORD", PostgresResource.servicePassword(),
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", key.toString(),
                    "MP_JWT_VERIFY_ISSUER", Tokens.issuer().issuer(),
                    "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false",
                    // The packaged service runs its production profile, which takes this key from a Secret.
                    "NOTIFY_SUBSCRIBERS_TOKEN_KEY", "test-only-unsubscribe-link-key-never-used-in-production"));
            // notification-service's public links (required in production): the service itself, unless the test says.
            all.put("NOTIFY_PUBLIC_URL", "http://127.0.0.1:" + port);
            // No self-check at start-up (it probes peers and Slack); tests ask for it when they want it.
            all.put("DR_SELF_CHECK_STARTUP_DELAY", "off");
            all.putAll(envForUrl.apply("http://127.0.0.1:" + port));
            ServiceProcess service = new ServiceProcess(module, all, Path.of("target/" + module + "-" + port + ".log").toAbsolutePath(), port,
                    managementPort, awaitReady ? "/q/health/ready" : "/q/health/live");
            service.launch();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path jar(String module) {
        Path jar = BackupServiceResource.repositoryRoot().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (./mvnw package -pl "
                    + module + " -am)");
        }
        return jar;
    }

    /**
     * The JVM a service runs in. C1 only and the serial collector: a test's service lives seconds to
     * minutes, and on 2 cores C2 and G1's concurrent threads cost more CPU than they save (RestoreCrashIT:
     * 15 % less CPU).
     */
    static List<String> jvm() {
        // The test JVM's temporary directory (the module's target/tmp): what a service leaves there, a
        // killed one especially, goes with `mvn clean`, not into the machine's /tmp.
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    }

    private void launch() {
        try {
            logStart = Files.exists(log) ? Files.size(log) : 0;
            Path jar = jar(module);
            List<String> command = new ArrayList<>(jvm());
            command.addAll(ClassDataSharing.forService(module, jar, env));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, module + "-stop"));
            awaitReady();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Could not start " + module + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(START_SECONDS).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited; see " + log + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(managementUrl() + awaited))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                // The management interface can answer before the API's own port listens.
                boolean listens = listens(port);
                if (ready.statusCode() == 200 && listens) {
                    return;
                }
                last = ready.statusCode() + " " + ready.body().replaceAll("\\s+", " ") + (listens ? "" : "; API port not listening");
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(module + " did not answer 200 at " + awaited + " within " + START_SECONDS + " s (last: " + last
                + "); see " + log + ", which ends:\n" + tail(20));
    }

    /** The last {@code lines} lines of the current run's output: what a failure message shows of it. */
    private String tail(int lines) throws IOException {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where its health, metrics and OpenAPI are served. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** The operating system's id of the running process. */
    public long pid() {
        return process.pid();
    }

    /** Kills it as the kernel's OOM killer or a node failure would: no shutdown hooks, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts it again, same port and environment. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(module + " is still running");
        }
        launch();
    }

    /**
     * Waits until the output of the current run contains {@code text} (a failpoint reached, say);
     * fails if the process exits or {@code timeout} passes first. {@code text} is within one line: each
     * look reads only the lines written since the last one.
     */
    public void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = logStart;
        while (System.nanoTime() < deadline) {
            boolean alive = process.isAlive(); // before reading: what a process that ended wrote is all read below
            byte[] fresh = bytesFrom(read);
            int lines = fresh.length;
            while (lines > 0 && fresh[lines - 1] != '\n') {
                lines--; // a line still being written: read again, whole, next time
            }
            if (new String(fresh, 0, alive ? lines : fresh.length, java.nio.charset.StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            read += lines;
            if (!alive) {
                throw new IllegalStateException(module + " exited before logging '" + text + "'; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(module + " did not log '" + text + "' within " + timeout + "; see " + log);
    }

    /** What the current run has written so far. */
    public String output() throws IOException {
        return new String(bytesFrom(logStart), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The log from byte {@code offset} on. */
    private byte[] bytesFrom(long offset) throws IOException {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            return in.readAllBytes();
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
