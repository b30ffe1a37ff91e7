package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * drctl as operators and CronJobs run it: the packaged CLI against the packaged backup-service and
 * recovery-service on the test PostgreSQL and S3. Asserts what a user sees: exit codes, the backup in
 * the catalog, the restored rows in the database, the problem's detail and request id.
 */
class DrctlIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static ServiceProcess backup;
    static ServiceProcess recovery;
    static Path work;
    static Path operatorToken;
    static Path viewerToken;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createDirectories(Path.of("target/drctl-it")).toAbsolutePath();
        EmbeddedPostgres pg = PostgresResource.server();
        EmbeddedS3 s3 = S3Resource.server();
        Map<String, String> backupEnv = new HashMap<>(BackupServiceResource.environment(pg, s3));
        // A target whose database is stopped: nothing listens on its port.
        String prefix = "BACKUP_TARGETS__OFFLINE__";
        backupEnv.put(prefix + "HOST", "127.0.0.1");
        backupEnv.put(prefix + "PORT", Integer.toString(freePort()));
        backupEnv.put(prefix + "DATABASE", "loopgpt");
        backupEnv.put(prefix + "USER", "loopgpt_app");
        backupEnv.put(prefix + "PASSWORD", BackupServiceResource.TARGET_PASSWORD);
        backup = ServiceProcess.start("backup-service", backupEnv);

        Map<String, String> recoveryEnv = new HashMap<>(S3Resource.serviceEnvironment());
        recoveryEnv.put("QUARKUS_REST_CLIENT_BACKUP_SERVICE_URL", backup.url());
        recoveryEnv.put("RECOVERY_BACKUP_SERVICE_TOKEN", Tokens.as("system:serviceaccount:dr:recovery-service", "dr-service"));
        // The JVM's own gunzip here (recovery-service's tests restore through igzip, found on the PATH).
        recoveryEnv.put("RECOVERY_GUNZIP", "none");
        recoveryEnv.put("RECOVERY_DESTINATIONS__LOOPGPT__HOST", pg.host());
        recoveryEnv.put("RECOVERY_DESTINATIONS__LOOPGPT__PORT", Integer.toString(pg.port()));
        recoveryEnv.put("RECOVERY_DESTINATIONS__LOOPGPT__DATABASE", "loopgpt");
        recoveryEnv.put("RECOVERY_DESTINATIONS__LOOPGPT__USER", EmbeddedPostgres.SUPERUSER);
        recovery = ServiceProcess.start("recovery-service", recoveryEnv);

        operatorToken = Files.writeString(work.resolve("operator.jwt"), Tokens.operator());
        viewerToken = Files.writeString(work.resolve("viewer.jwt"), Tokens.viewer());
    }

    @AfterAll
    static void stop() throws Exception {
        if (recovery != null) {
            recovery.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    /** The environment of a CronJob: URLs and a token file, no configuration file. */
    static Map<String, String> cron(Path token) {
        return DrctlProcess.env("DRCTL_CONFIG", work.resolve("none.yaml"), "DRCTL_BACKUP_URL", backup.url(),
                "DRCTL_RECOVERY_URL", recovery.url(), "DRCTL_TOKEN_FILE", token);
    }

    static JsonNode api(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + Tokens.viewer()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Nothing but printable characters and line breaks: what a log collector should get. */
    static void assertPlainLines(String text) {
        text.chars().forEach(c -> assertThat(c == '\n' || !Character.isISOControl(c))
                .as("control character %d in:%n%s", c, text).isTrue());
    }

    @Test
    void aCronJobTakesABackupAndWaitsForItsEnd() throws Exception {
        DrctlProcess.Run run = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "loopgpt", "--reason",
                "drctl test", "--wait");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("phase:").contains("SUCCEEDED").contains("sha256:");
        // Progress to a file or a pipe: whole lines, no redrawing.
        assertThat(run.err()).contains("backup ").contains("SUCCEEDED");
        assertPlainLines(run.err());
        String id = run.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).strip();
        JsonNode taken = api(backup.url() + "/api/v1/backups/" + id);
        assertThat(taken.path("phase").asText()).isEqualTo("SUCCEEDED");
        assertThat(taken.path("reason").asText()).isEqualTo("drctl test");
        assertThat(taken.path("tableRows").path("public.users").asLong()).isEqualTo(200L);
        assertPhasesAddUp(taken, "snapshot", "dump", "upload");
    }

    /**
     * The record's phase timings name where the time went and add up to its wall time (startedAt to
     * finishedAt), give or take the few milliseconds of bookkeeping between phases.
     */
    static void assertPhasesAddUp(JsonNode record, String... phases) {
        long sum = 0;
        for (String phase : phases) {
            assertThat(record.path("phases").has(phase)).as("phase %s in %s", phase, record).isEqualTo(true);
        }
        for (JsonNode millis : record.path("phases")) {
            sum += millis.asLong();
        }
        long total = record.path("durationMillis").asLong();
        assertThat(Math.abs(sum - total) <= Math.max(250, total / 10)).as("phases %s add up to %d ms",
                record.path("phases"), total).isTrue();
    }

    @Test
    void jsonOutputIsTheApisAnswer() throws Exception {
        DrctlProcess.Run run = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "loopgpt", "--wait", "-o", "json");
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode printed = JSON.readTree(run.out());
        assertThat(printed).isEqualTo(api(backup.url() + "/api/v1/backups/" + printed.path("id").asText()));

        DrctlProcess.Run list = DrctlProcess.run(cron(operatorToken), "backup", "list", "--target", "loopgpt", "--size", "3", "-o", "json");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(JSON.readTree(list.out())).isEqualTo(api(backup.url() + "/api/v1/backups?target=loopgpt&page=0&size=3"));

        DrctlProcess.Run yaml = DrctlProcess.run(cron(operatorToken), "backup", "show", printed.path("id").asText(), "-o", "yaml");
        assertThat(yaml.exit()).as(yaml.toString()).isZero();
        assertThat(yaml.out()).contains("phase: SUCCEEDED").contains("id: " + printed.path("id").asText());
    }

    @Test
    void anAdminDownloadsABackupCheckedAgainstTheCatalog() throws Exception {
        DrctlProcess.Run taken = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "loopgpt", "--wait", "-o", "json");
        assertThat(taken.exit()).as(taken.toString()).isZero();
        JsonNode backupTaken = JSON.readTree(taken.out());
        Path file = work.resolve("downloaded-" + UUID.randomUUID() + ".sql.gz");

        DrctlProcess.Run operator = DrctlProcess.run(cron(operatorToken), "backup", "download", backupTaken.path("id").asText(),
                "--file", file.toString());
        assertThat(operator.exit()).as(operator.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(Files.exists(file)).isEqualTo(false);

        Path admin = Files.writeString(work.resolve("admin.jwt"), Tokens.admin());
        DrctlProcess.Run run = DrctlProcess.run(cron(admin), "backup", "download", backupTaken.path("id").asText(), "--file", file.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err()).contains("SHA-256 " + backupTaken.path("sha256").asText() + " matches the catalog");
        assertThat(Files.size(file)).isEqualTo(backupTaken.path("sizeBytes").asLong());
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("PostgreSQL database dump complete");
        }
    }

    @Test
    void aBackupOfAStoppedDatabaseFailsTheJobWithTheServicesReason() throws Exception {
        DrctlProcess.Run run = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "offline", "--wait");
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode failed = api(backup.url() + "/api/v1/backups?target=offline&size=1").path("items").get(0);
        assertThat(failed.path("phase").asText()).isEqualTo("FAILED");
        assertThat(run.err()).contains("ended FAILED").contains(failed.path("failureReason").asText());
        assertThat(run.err()).doesNotContain(BackupServiceResource.TARGET_PASSWORD);
    }

    @Test
    void aRestoreOfTheLatestBackupBeforeATimePrintsTheVerifiedRowCounts() throws Exception {
        DrctlProcess.Run taken = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "loopgpt", "--wait", "-o", "json");
        assertThat(taken.exit()).as(taken.toString()).isZero();
        String before = Instant.now().plusSeconds(1).toString();

        DrctlProcess.Run run = DrctlProcess.run(cron(operatorToken), "restore", "create", "--target", "loopgpt", "--latest-before", before,
                "--destination", "loopgpt", "--wait");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Rows verified against the backup's manifest in loopgpt_restore_");
        String database = run.out().lines().filter(l -> l.startsWith("restoredDatabase:")).findFirst().orElseThrow()
                .substring("restoredDatabase:".length()).strip();
        assertThat(run.out()).containsPattern("public\\.users\\s+200");
        assertPlainLines(run.err());
        String restoreId = run.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).strip();
        assertPhasesAddUp(api(recovery.url() + "/api/v1/restores/" + restoreId), "prepare", "schema", "data", "indexes",
                "foreign-keys", "post-data", "verify");
        try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM users")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(200L);
        }
    }

    @Test
    void aRestoreOfTheLatestBackupTakesTheTargetsNewestGoodOne() throws Exception {
        DrctlProcess.Run taken = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "loopgpt", "--wait",
                "-o", "json");
        assertThat(taken.exit()).as(taken.toString()).isZero();
        String newest = JSON.readTree(taken.out()).path("id").asText();

        DrctlProcess.Run run = DrctlProcess.run(cron(operatorToken), "restore", "create", "--target", "loopgpt", "--latest",
                "--destination", "loopgpt", "--wait", "-o", "json");
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode restore = JSON.readTree(run.out());
        assertThat(restore.path("backupId").asText()).isEqualTo(newest);
        assertThat(restore.path("phase").asText()).isEqualTo("SUCCEEDED");
        assertThat(restore.path("tableRows").path("public.users").asLong()).isEqualTo(200L);
    }

    @Test
    void aRefusedCallPrintsTheProblemAndItsRequestId() {
        DrctlProcess.Run viewer = DrctlProcess.run(cron(viewerToken), "backup", "create", "--target", "loopgpt");
        assertThat(viewer.exit()).as(viewer.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(viewer.err()).contains("(HTTP 403)").containsPattern("request id: \\S+");
        assertThat(viewer.err()).doesNotContain("Exception").doesNotContain("\tat ");

        UUID unknown = UUID.randomUUID();
        DrctlProcess.Run missing = DrctlProcess.run(cron(operatorToken), "backup", "show", unknown.toString());
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(missing.err()).contains("(HTTP 404)").contains(unknown.toString()).containsPattern("request id: \\S+");

        DrctlProcess.Run expired = DrctlProcess.run(DrctlProcess.env("DRCTL_CONFIG", work.resolve("none.yaml"), "DRCTL_BACKUP_URL", backup.url(),
                "DRCTL_TOKEN", Tokens.issuedAt(Instant.now().minus(Duration.ofDays(2)), "someone", "dr-operator")),
                "targets", "list");
        assertThat(expired.exit()).as(expired.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(expired.err()).contains("(HTTP 401)").contains("DRCTL_TOKEN environment variable");

        DrctlProcess.Run usage = DrctlProcess.run(cron(operatorToken), "backup", "create");
        assertThat(usage.exit()).as(usage.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("Missing required option: '--target");
    }

    @Test
    void aServiceThatIsDownIsUnreachableWithinTheTimeout() throws Exception {
        DrctlProcess.Run closed = DrctlProcess.run(DrctlProcess.env("DRCTL_CONFIG", work.resolve("none.yaml"),
                "DRCTL_BACKUP_URL", "http://127.0.0.1:" + freePort(), "DRCTL_TOKEN_FILE", operatorToken), "backup", "list");
        assertThat(closed.exit()).as(closed.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(closed.err()).contains("Cannot reach backup-service");

        // A host that accepts connections and never answers (a hung pod, a black-holing proxy).
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closedNow) {
                    // Done.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DrctlProcess.Run hung = DrctlProcess.run(DrctlProcess.env("DRCTL_CONFIG", work.resolve("none.yaml"),
                    "DRCTL_BACKUP_URL", "http://127.0.0.1:" + silent.getLocalPort(), "DRCTL_TOKEN_FILE", operatorToken),
                    "backup", "list", "--request-timeout", "2s");
            assertThat(hung.exit()).as(hung.toString()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(hung.err()).contains("no answer within 2s");
            // 2 s of waiting plus a JVM's start, well under the default 30 s.
            assertThat(hung.took()).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void onATerminalProgressRedrawsOneLine() throws Exception {
        // script(1) gives drctl a pseudo-terminal, as an operator's shell would.
        DrctlProcess.Run taken = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "loopgpt", "--wait");
        assertThat(taken.exit()).as(taken.toString()).isZero();
        StringBuilder line = new StringBuilder();
        for (String part : DrctlProcess.command("restore", "create", "--target", "loopgpt", "--latest-before",
                Instant.now().plusSeconds(1).toString(), "--destination", "loopgpt", "--wait")) {
            line.append('\'').append(part.replace("'", "'\\''")).append("' ");
        }
        DrctlProcess.Run run = DrctlProcess.run(cron(operatorToken), List.of("script", "-qefc", line.toString(), "/dev/null"));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\r\u001b[2K").contains("restore ").contains("SUCCEEDED");
        // Redrawn in place: the progress shares one line, ended once.
        String progress = run.out().substring(run.out().indexOf("\r\u001b[2K"));
        assertThat(progress.substring(0, progress.indexOf('\n'))).contains("SUCCEEDED");
    }

    @Test
    void ctrlCStopsWaitingButNotTheJob() throws Exception {
        // Rows enough that the restore is still running (seconds) when Ctrl-C comes.
        try (var c = PostgresResource.server().connect("loopgpt"); var s = c.createStatement()) {
            s.execute("CREATE TABLE ctrl_c_ballast AS SELECT g AS id, md5(g::text) AS filler"
                    + " FROM generate_series(1, 1500000) g");
            s.execute("ALTER TABLE ctrl_c_ballast ADD PRIMARY KEY (id)");
            s.execute("ALTER TABLE ctrl_c_ballast OWNER TO loopgpt_app");
        }
        try {
            stopWaitingForARestore();
        } finally {
            try (var c = PostgresResource.server().connect("loopgpt"); var s = c.createStatement()) {
                s.execute("DROP TABLE ctrl_c_ballast");
            }
        }
    }

    private void stopWaitingForARestore() throws Exception {
        DrctlProcess.Run taken = DrctlProcess.run(cron(operatorToken), "backup", "create", "--target", "loopgpt", "--wait");
        assertThat(taken.exit()).as(taken.toString()).isZero();
        List<String> command = new java.util.ArrayList<>();
        // As from an operator's shell: Ctrl-C is not ignored, even when the build runs in the
        // background (which starts every child with SIGINT ignored, and a JVM then keeps it so).
        command.addAll(List.of("env", "--default-signal=INT"));
        command.addAll(DrctlProcess.command("restore", "create", "--target", "loopgpt",
                "--latest-before", Instant.now().plusSeconds(1).toString(), "--destination", "loopgpt", "--wait"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(cron(operatorToken));
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        AtomicReference<String> restoreId = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String l;
                while ((l = in.readLine()) != null) {
                    synchronized (output) {
                        output.append(l).append('\n');
                    }
                    if (l.startsWith("restore ") && restoreId.get() == null) {
                        restoreId.set(l.split("\\s+")[1]);
                    }
                }
            } catch (IOException ignored) {
                // Ended.
            }
        });
        reader.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (restoreId.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(restoreId.get()).as(output.toString()).isNotNull();
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        assertThat(process.exitValue()).as(output.toString()).isEqualTo(130);
        assertThat(output.toString()).contains("Stopped waiting; the restore goes on: drctl restore show " + restoreId.get());
        // The restore itself went on to its end.
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String phase = "";
        while (System.nanoTime() < until) {
            phase = api(recovery.url() + "/api/v1/restores/" + restoreId.get()).path("phase").asText();
            if (phase.equals("SUCCEEDED") || phase.equals("FAILED")) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(phase).isEqualTo("SUCCEEDED");
    }

    @Test
    void contextsKeepWhereTheServicesAndTheTokenAreButNoToken() throws Exception {
        Path config = work.resolve("contexts-" + UUID.randomUUID() + ".yaml");
        Map<String, String> env = DrctlProcess.env("DRCTL_CONFIG", config);
        DrctlProcess.Run set = DrctlProcess.run(env, "context", "set", "test", "--backup-url", backup.url(), "--recovery-url",
                recovery.url(), "--token-file", operatorToken.toString());
        assertThat(set.exit()).as(set.toString()).isZero();
        DrctlProcess.Run other = DrctlProcess.run(env, "context", "set", "elsewhere", "--backup-url", "http://127.0.0.1:" + freePort(),
                "--token-file", viewerToken.toString());
        assertThat(other.exit()).as(other.toString()).isZero();
        assertThat(Files.readString(config)).contains("current-context: test").contains(operatorToken.toString())
                .doesNotContain(Tokens.operator().substring(0, 40));

        DrctlProcess.Run list = DrctlProcess.run(env, "targets", "list");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("NAME").contains("loopgpt").contains("offline");

        DrctlProcess.Run contexts = DrctlProcess.run(env, "context", "list");
        assertThat(contexts.out()).containsPattern("\\*\\s+test\\s+" + backup.url().replace(".", "\\."))
                .contains("elsewhere");
        DrctlProcess.Run use = DrctlProcess.run(env, "context", "use", "elsewhere");
        assertThat(use.exit()).isZero();
        assertThat(DrctlProcess.run(env, "targets", "list").exit()).isEqualTo(ExitCodes.UNREACHABLE);
        env.put("DRCTL_CONTEXT", "test");
        assertThat(DrctlProcess.run(env, "targets", "list").exit()).isZero();
        assertThat(DrctlProcess.run(env, "--help").exit()).isZero();
        DrctlProcess.Run unknown = DrctlProcess.run(env, "targets", "list", "--context", "nowhere");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(unknown.err()).contains("No context 'nowhere'").contains("it has elsewhere, test");
    }

    @Test
    void aServiceAccountGetsItsTokenByClientCredentials() throws Exception {
        String secret = "client-secret-" + UUID.randomUUID();
        HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/realms/loopgpt";
        issuer.createContext("/realms/loopgpt/.well-known/openid-configuration", exchange -> {
            byte[] body = ("{\"issuer\":\"" + base + "\",\"token_endpoint\":\"" + base + "/protocol/openid-connect/token\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.createContext("/realms/loopgpt/protocol/openid-connect/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String expected = "Basic " + Base64.getEncoder().encodeToString(("drctl-cron:" + secret)
                    .getBytes(StandardCharsets.UTF_8));
            boolean ok = form.contains("grant_type=client_credentials")
                    && expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ok ? "{\"access_token\":\"" + Tokens.as("system:serviceaccount:dr:drctl-cron", "dr-operator")
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":300}"
                    : "{\"error\":\"invalid_client\",\"error_description\":\"bad credentials\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
        try {
            Path secretFile = Files.writeString(work.resolve("client-secret"), secret);
            Map<String, String> env = DrctlProcess.env("DRCTL_CONFIG", work.resolve("none.yaml"), "DRCTL_BACKUP_URL", backup.url(),
                    "DRCTL_OIDC_ISSUER", base, "DRCTL_OIDC_CLIENT_ID", "drctl-cron", "DRCTL_OIDC_CLIENT_SECRET_FILE", secretFile);
            DrctlProcess.Run run = DrctlProcess.run(env, "backup", "create", "--target", "loopgpt", "--kind", "automatic", "--wait",
                    "-o", "json");
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(JSON.readTree(run.out()).path("requestedBy").asText()).isEqualTo("system:serviceaccount:dr:drctl-cron");

            env.put("DRCTL_OIDC_CLIENT_SECRET_FILE", Files.writeString(work.resolve("wrong-secret"), "not-it").toString());
            DrctlProcess.Run refused = DrctlProcess.run(env, "targets", "list");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
            assertThat(refused.err()).contains("refused a token for client 'drctl-cron' (HTTP 401)").contains("invalid_client")
                    .doesNotContain("not-it").doesNotContain(secret);
        } finally {
            issuer.stop(0);
        }
    }

    @Test
    void completionAndHelp() {
        DrctlProcess.Run bash = DrctlProcess.run(Map.of(), "completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("drctl").contains("restore");
        DrctlProcess.Run zsh = DrctlProcess.run(Map.of(), "completion", "zsh");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit");
        // Every command's help and examples are checked in-process (HelpExamplesTest); here the packaged
        // tool prints them too, a command of each depth.
        for (String command : List.of("backup create", "incident postmortem action add", "doctor")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            DrctlProcess.Run help = DrctlProcess.run(Map.of(), args.toArray(String[]::new));
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: drctl " + command).containsPattern("Examples?:\\n  drctl ");
        }
    }
}
