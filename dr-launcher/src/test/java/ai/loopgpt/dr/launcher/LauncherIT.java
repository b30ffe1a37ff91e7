package ai.loopgpt.dr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.loopgpt.dr.embedded.ReceivedMail;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, end to end: the packaged launcher starts all four services, each
 * answers UP; the README's drctl quick start works as written; drctl doctor passes; an incident's
 * messages reach the local inbox; SIGINT (Ctrl-C) leaves no process behind; a second start finds
 * the first one's data.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** drctl's configuration for this test, instead of the user's own. */
    private static final Path DRCTL_CONFIG = Path.of("target/it-drctl/config.yaml").toAbsolutePath();

    /** Every launcher this test started: none is left running when an assertion fails half-way. */
    private final List<Process> launchers = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        for (Process launcher : launchers) {
            if (launcher.isAlive()) {
                new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).inheritIO().start().waitFor();
                if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
                    launcher.descendants().forEach(ProcessHandle::destroyForcibly);
                    launcher.destroyForcibly();
                }
            }
        }
    }

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

        // The local inbox: its page answers, and the banner says where it is.
        assertTrue(first.output().contains("Messages the suite sends: http://localhost:" + (18025 + offset) + "/"), first.output());
        HttpResponse<String> inbox = get(18025 + offset, "/", null);
        assertEquals(200, inbox.statusCode(), inbox.body());
        assertTrue(first.output().contains("Self-check (drctl doctor):"), first.output());

        // The README's drctl quick start, as a newcomer types it after ./run.sh.
        for (String line : readmeQuickStart()) {
            Ran ran = bash(line);
            assertEquals(0, ran.exitCode(), line + "\n" + ran.output());
        }

        // The sample database streams: after the quick start's backup, what a failure now would lose is
        // measured from the stream (later than the backup's snapshot) and seconds old (its RPO, 1 min, met),
        // and the targets list says it streams.
        long streamDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String target = "";
        boolean fromTheStream = false;
        while (!fromTheStream && System.nanoTime() < streamDeadline) {
            target = get(8081 + offset, "/api/v1/targets/loopgpt", token).body();
            java.util.regex.Matcher until = java.util.regex.Pattern.compile("\"restorableUntil\":\"([^\"]+)\"").matcher(target);
            java.util.regex.Matcher taken = java.util.regex.Pattern.compile("\"lastBackup\":\\{[^}]*\"startedAt\":\"([^\"]+)\"")
                    .matcher(target);
            fromTheStream = until.find() && taken.find()
                    && java.time.Instant.parse(until.group(1)).isAfter(java.time.Instant.parse(taken.group(1)).plusSeconds(1));
            if (!fromTheStream) {
                Thread.sleep(1000);
            }
        }
        java.util.regex.Matcher age = java.util.regex.Pattern.compile("\"rpoAgeSeconds\":(\\d+)").matcher(target);
        assertTrue(fromTheStream && target.contains("\"streamed\":true") && target.contains("\"rpoSeconds\":60")
                && target.contains("\"rpoBreached\":false") && age.find() && Long.parseLong(age.group(1)) < 30, target);
        Ran streamedList = bash("./drctl targets list");
        assertTrue(streamedList.output().matches("(?s).*loopgpt\\s+\\S+\\s+\\S+ \\S+\\s+yes\\s+\\d+s\\s+ok.*"), streamedList.output());

        // An incident tells the users by mail and the team (by mail or Slack) through the local inbox.
        Path mail = data.resolve("mail");
        Path slack = data.resolve("slack");
        List<Path> before = messages(mail, slack);
        Ran declared = bash("./drctl incident declare --title 'Orders database down' --scenario database-failure "
                + "--severity MAJOR --component orders --target loopgpt");
        assertEquals(0, declared.exitCode(), declared.output());
        // Seconds on a quiet machine; the deadline leaves room for one loaded by other builds.
        long messagesDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        boolean incidentMail = false;
        boolean teamMessage = false;
        while (!(incidentMail && teamMessage) && System.nanoTime() < messagesDeadline) {
            Thread.sleep(250);
            for (Path file : messages(mail, slack)) {
                if (before.contains(file)) {
                    continue;
                }
                if (file.getFileName().toString().endsWith(".json")) {
                    teamMessage = true;
                    continue;
                }
                ReceivedMail received = ReceivedMail.parse(Files.readAllBytes(file));
                String subject = String.valueOf(received.header("Subject"));
                incidentMail |= subject.contains("Orders database down") || subject.contains("Service Issue");
                teamMessage |= String.valueOf(received.header("To")).contains("ops@loopgpt.ai");
            }
        }
        assertTrue(incidentMail, "the incident notification mail is in " + mail + ": " + messages(mail, slack));
        assertTrue(teamMessage, "a team message (mail to ops@loopgpt.ai or Slack) is in " + data + ": " + messages(mail, slack));

        // drctl's self-check: every check of every service passes on the suite as ./run.sh starts it.
        Ran doctor = bash("./drctl doctor");
        assertEquals(0, doctor.exitCode(), doctor.output());
        assertFalse(doctor.output().contains("✗"), doctor.output());

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
        assertFalse(second.output().contains("Sample LoopGPT database created"), "the sample database is kept: " + second.output());
        HttpResponse<String> components = get(8084 + offset, "/api/v1/components", token);
        assertTrue(components.body().replace(" ", "")
                .contains("\"id\":\"dns\",\"name\":\"DNS\",\"group\":\"Infrastructure\",\"status\":\"major_outage\""),
                components.body());
        stopWithCtrlC(second, data);
    }

    record Started(Process process, String output, List<ProcessHandle> processes) {
    }

    record Ran(int exitCode, String output) {
    }

    /**
     * The commands of the README's fenced block under "## drctl, the command-line tool", each
     * without its trailing comment.
     */
    private static List<String> readmeQuickStart() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        int heading = readme.indexOf("## drctl, the command-line tool");
        assertTrue(heading >= 0, "README.md has its drctl section");
        int open = heading + 1;
        while (open < readme.size() && !readme.get(open).strip().equals("```sh")) {
            open++;
        }
        List<String> commands = new ArrayList<>();
        for (int i = open + 1; i < readme.size() && !readme.get(i).strip().equals("```"); i++) {
            String command = readme.get(i).replaceFirst("\\s+#.*$", "").strip();
            if (!command.isEmpty()) {
                commands.add(command);
            }
        }
        assertFalse(commands.isEmpty(), "README.md's drctl block");
        assertTrue(commands.contains("./drctl targets list"), "the quick start, not another block: " + commands);
        return commands;
    }

    /** Runs {@code line} with bash in the repository root, with this test's drctl configuration. */
    private static Ran bash(String line) throws Exception {
        Path output = Files.createTempFile("launcher-it-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", line).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("DRCTL_CONFIG", DRCTL_CONFIG.toString());
            // ✓ and ✗ come out as themselves whatever this machine's locale.
            builder.environment().put("LC_ALL", "C.UTF-8");
            Process process = builder.start();
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("No end within 300 s: " + line + "\n" + Files.readString(output));
            }
            return new Ran(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The files of the local inbox's folders. */
    private static List<Path> messages(Path... folders) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : folders) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> list = Files.list(folder)) {
                    list.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    private Started start(Path data, int offset) throws Exception {
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
        launchers.add(process);
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
        if (line == null) {
            // The launcher closed its output: it is exiting, and its last lines say why.
            fail("The launcher exited" + (process.waitFor(30, TimeUnit.SECONDS) ? " with " + process.exitValue() : "")
                    + " before the suite was up:\n" + output);
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

    /** An offset that moves 8081-8084, 9081-9084 and the inbox's 11025 and 18025 onto ten free ports. */
    private static int freePortOffset() {
        List<Integer> ports = List.of(8081, 8082, 8083, 8084, 9081, 9082, 9083, 9084, 11025, 18025);
        for (int attempt = 0; attempt < 50; attempt++) {
            // Every port below the kernel's ephemeral range (32768 and up): no other test's outgoing
            // connection can take one between this check and the suite's start.
            int offset = ThreadLocalRandom.current().nextInt(2_000, 14_000);
            boolean free = true;
            for (int i = 0; i < ports.size() && free; i++) {
                try (ServerSocket socket = new ServerSocket(ports.get(i) + offset)) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("No ten free ports found");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
