package ai.loopgpt.dr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, end to end: the packaged launcher starts all four services, each
 * answers UP; SIGINT (Ctrl-C) leaves no process behind; a second start finds the first one's data.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** drctl's configuration for this test, instead of the user's own. */
    private static final Path DRCTL_CONFIG = Path.of("target/it-drctl/config.yaml").toAbsolutePath();

    @Test
    void runsTheSuiteStopsCleanlyAndKeepsItsData() throws Exception {
        Path data = Path.of("target/it-data").toAbsolutePath();
        deleteTree(data);
        deleteTree(DRCTL_CONFIG.getParent());
        int offset = freePortOffset();

        Started first = start(data, offset);
        assertTrue(first.output().contains("Sample LoopGPT database created with 50 users"), first.output());
        for (int port = 8081; port <= 8084; port++) {
            HttpResponse<String> health = get(port + 1000 + offset, "/q/health", null);
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().replace(" ", "").contains("\"status\":\"UP\""), health.body());
        }
        String token = Files.readString(data.resolve("tokens/operator.jwt")).strip();
        HttpResponse<String> set = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + (8084 + offset) + "/api/v1/components/dns/status"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"major_outage\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, set.statusCode(), set.body());

        // The launcher wrote drctl's local context: ./drctl works at once, with the operator token.
        assertTrue(first.output().contains("drctl: Context created: local"), first.output());
        ProcessBuilder drctl = new ProcessBuilder(ROOT.resolve("drctl").toString(), "targets", "list")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        drctl.environment().put("DRCTL_CONFIG", DRCTL_CONFIG.toString());
        Process listed = drctl.start();
        String targets = new String(listed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(listed.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, listed.exitValue(), targets);
        assertTrue(targets.contains("loopgpt_app@127.0.0.1:") && targets.contains("/loopgpt"), targets);

        // A service killed as the OOM killer would is back within a minute; the others are untouched.
        ProcessHandle notification = service(first, "notification-service");
        List<ProcessHandle> others = List.of(service(first, "backup-service"), service(first, "recovery-service"),
                service(first, "status-service"));
        new ProcessBuilder("kill", "-KILL", Long.toString(notification.pid())).inheritIO().start().waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            Thread.sleep(500);
            try {
                status = get(9083 + offset, "/q/health/ready", null).statusCode();
            } catch (IOException stillDown) {
                status = 0;
            }
        }
        assertEquals(200, status, "notification-service is back and ready within a minute");
        ProcessHandle restarted = service(first, "notification-service");
        assertTrue(restarted.pid() != notification.pid(), "a new process");
        first.processes().add(restarted);
        for (ProcessHandle other : others) {
            assertTrue(other.isAlive(), "untouched: " + other.info().commandLine().orElse(""));
        }
        assertEquals(200, get(9081 + offset, "/q/health/ready", null).statusCode());
        assertEquals(404, get(8084 + offset, "/q/metrics", null).statusCode(), "nothing of /q on the public port");
        stopWithCtrlC(first, data);

        Started second = start(data, offset);
        assertFalse(second.output().contains("created"), "the sample database is kept: " + second.output());
        HttpResponse<String> components = get(8084 + offset, "/api/v1/components", token);
        assertTrue(components.body().replace(" ", "")
                .contains("\"id\":\"dns\",\"name\":\"DNS\",\"group\":\"Infrastructure\",\"status\":\"major_outage\""),
                components.body());
        stopWithCtrlC(second, data);
    }

    record Started(Process process, String output, List<ProcessHandle> processes) {
    }

    private static Started start(Path data, int offset) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // As from an operator's shell: Ctrl-C is not ignored, even when the build runs in the
        // background (which starts every child with SIGINT ignored, and a JVM then keeps it so).
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT", java.toString(), "-jar",
                ROOT.resolve("dr-launcher/target/dr-launcher.jar").toString(),
                "--data-dir", data.toString(), "--postgres-port", "0", "--s3-port", "0",
                "--port-offset", Integer.toString(offset), "--sample-users", "50")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("DRCTL_CONFIG", DRCTL_CONFIG.toString());
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith("Ctrl-C stops everything")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                fail("The suite did not start in time:\n" + output);
            }
        }
        // Keep draining the launcher's output so that it never blocks on a full pipe.
        Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "launcher-output");
        drain.setDaemon(true);
        drain.start();
        if (!process.isAlive()) {
            fail("The launcher exited with " + process.exitValue() + ":\n" + output);
        }
        List<ProcessHandle> processes = new ArrayList<>(process.descendants().toList());
        processes.add(process.toHandle());
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).strip());
        ProcessHandle.of(postmaster).ifPresent(processes::add);
        assertTrue(processes.size() >= 6, "launcher, four services and PostgreSQL: " + processes);
        return new Started(process, output.toString(), processes);
    }

    /** The running process of {@code name} under the launcher. */
    private static ProcessHandle service(Started started, String name) {
        return started.process().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("/" + name + "/target/"))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not running"));
    }

    private static void stopWithCtrlC(Started started, Path data) throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(started.process().pid())).inheritIO().start().waitFor();
        assertTrue(started.process().waitFor(90, TimeUnit.SECONDS), "the launcher stops on SIGINT");
        for (ProcessHandle handle : started.processes()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (handle.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(handle.isAlive(), "left behind: " + handle.pid() + " " + handle.info().commandLine().orElse(""));
        }
        assertFalse(Files.exists(data.resolve("postgres/postmaster.pid")), "PostgreSQL shut down cleanly");
    }

    private static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An offset that moves 8081-8084 and 9081-9084 onto eight free ports. */
    private static int freePortOffset() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(10_000, 40_000);
            boolean free = true;
            for (int port = 8081; port <= 9084 && free; port = port == 8084 ? 9081 : port + 1) {
                try (ServerSocket socket = new ServerSocket(port + offset)) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("No four free ports found");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
