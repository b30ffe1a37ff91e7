package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl doctor} against a loopback HTTP server standing for the four services' self-checks:
 * what the operator reads (✓, ✗ and the fix) and the exit code.
 */
class DoctorTest {

    static final String SELF_CHECK = "/api/v1/self-check";
    static final String[] SERVICES = {"backup", "recovery", "notification", "status"};

    HttpReceiver services;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        services = new HttpReceiver();
        for (String s : SERVICES) {
            services.script("/" + s + SELF_CHECK, Answer.of(200, report(s + "-service", Instant.now(), true,
                    check("PostgreSQL " + s + " reachable", true, "SELECT 1 in 3 ms", null))));
        }
    }

    @AfterEach
    void stop() {
        services.close();
    }

    /** The four services at the receiver's /backup, /recovery… */
    Map<String, String> env(String... more) {
        Map<String, String> env = InProcessDrctl.env(dir.resolve("no-config.yaml"), more);
        for (String s : SERVICES) {
            env.putIfAbsent("DRCTL_" + s.toUpperCase() + "_URL", services.url("/" + s));
        }
        return env;
    }

    static String report(String service, Instant checkedAt, boolean ok, String... checks) {
        return "{\"service\":\"" + service + "\",\"checkedAt\":\"" + checkedAt + "\",\"ok\":" + ok + ",\"checks\":["
                + String.join(",", checks) + "]}";
    }

    static String check(String name, boolean ok, String detail, String fix) {
        return "{\"name\":\"" + name + "\",\"ok\":" + ok + ",\"detail\":\"" + detail + "\",\"fix\":"
                + (fix == null ? "null" : "\"" + fix + "\"") + "}";
    }

    @Test
    void everyCheckPassedExitsZeroWithTicks() {
        services.script("/backup" + SELF_CHECK, Answer.of(200, report("backup-service", Instant.now(), true,
                check("S3 bucket loopgpt-dr-backups writable", true, "put and deleted a probe object", null),
                check("PostgreSQL catalog reachable", true, "SELECT 1 in 2 ms", null))));

        InProcessDrctl.Run run = InProcessDrctl.run(env(), "doctor");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("backup-service  " + services.url("/backup"))
                .contains("  ✓ S3 bucket loopgpt-dr-backups writable — put and deleted a probe object")
                .contains("  ✓ PostgreSQL status reachable — SELECT 1 in 3 ms")
                .containsPattern("✓ notification-service's clock — within \\d+\\.\\d s of this machine's")
                .contains("All 9 checks passed.").doesNotContain("✗");
        for (String s : SERVICES) {
            assertThat(services.requests("/" + s + SELF_CHECK).get(0).header("Authorization")).isEqualTo("Bearer test-token");
        }
    }

    @Test
    void aFailingCheckIsACrossWithItsFix() {
        services.script("/backup" + SELF_CHECK, Answer.of(200, report("backup-service", Instant.now(), false,
                check("S3 bucket loopgpt-dr-backups writable", true, "put and deleted a probe object", null),
                check("SMTP relay smtp.example:587", false, "connection refused",
                        "Start the relay or set QUARKUS_MAILER_HOST/PORT"))));

        InProcessDrctl.Run run = InProcessDrctl.run(env(), "doctor");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("  ✗ SMTP relay smtp.example:587 — connection refused\n"
                + "      fix: Start the relay or set QUARKUS_MAILER_HOST/PORT\n")
                .contains("  ✓ S3 bucket loopgpt-dr-backups writable").contains("1 of 9 checks failed.");
    }

    @Test
    void aReportAnsweredWithAServerErrorIsStillRead() {
        services.script("/status" + SELF_CHECK, Answer.of(503, report("status-service", Instant.now(), false,
                check("PostgreSQL status reachable", false, "connection refused", "Start PostgreSQL or set STATUS_DB_URL"))));

        InProcessDrctl.Run run = InProcessDrctl.run(env(), "doctor");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("  ✗ PostgreSQL status reachable — connection refused\n"
                + "      fix: Start PostgreSQL or set STATUS_DB_URL\n").doesNotContain("HTTP 503");
    }

    @Test
    void aServiceThatIsDownIsACrossNamingIt() throws IOException {
        String down = "http://127.0.0.1:" + freePort();

        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_RECOVERY_URL", down), "doctor", "--request-timeout", "5s");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("recovery-service  " + down + "\n  ✗ recovery-service — no connection")
                .contains("      fix: Start recovery-service").contains("DRCTL_RECOVERY_URL")
                .contains("  ✓ PostgreSQL backup reachable").contains("1 of 7 checks failed.");
    }

    @Test
    void aClockAMinuteOffIsACross() {
        services.script("/status" + SELF_CHECK, Answer.of(200, report("status-service",
                Instant.now().plus(Duration.ofSeconds(60)), true, check("PostgreSQL status reachable", true, "ok", null))));

        InProcessDrctl.Run run = InProcessDrctl.run(env(), "doctor");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).containsPattern("  ✗ status-service's clock — (59\\.\\d|60\\.0) s ahead of this machine's\n"
                + "      fix: Run NTP \\(chrony").contains("✓ backup-service's clock").contains("1 of 8 checks failed.");
    }

    @Test
    void aRefusedTokenSaysWhichRoleIsNeeded() {
        services.script("/notification" + SELF_CHECK, Answer.of(403,
                "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Your token's roles do not allow this action.\","
                        + "\"requestId\":\"r-123\"}"));

        InProcessDrctl.Run run = InProcessDrctl.run(env(), "doctor");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("  ✗ notification-service — HTTP 403: Forbidden: Your token's roles do not allow this action. (request id r-123)")
                .contains("lacks the role dr-viewer");
    }

    @Test
    void aContextWithoutTheServicesUrlIsACross() throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"), "current-context: prod\ncontexts:\n  prod:\n"
                + "    backup-url: " + services.url("/backup") + "\n");
        Map<String, String> env = InProcessDrctl.env(config, "DRCTL_RECOVERY_URL", services.url("/recovery"),
                "DRCTL_NOTIFICATION_URL", services.url("/notification"));

        InProcessDrctl.Run run = InProcessDrctl.run(env, "doctor");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("  ✗ status-service — no URL in context 'prod'\n"
                + "      fix: Set it: drctl context set prod --status-url URL (or DRCTL_STATUS_URL=URL).")
                .contains("✓ PostgreSQL backup reachable");
        assertThat(services.requests("/status" + SELF_CHECK).size()).isZero();
    }

    @Test
    void onlyTheServicesAskedFor() {
        InProcessDrctl.Run run = InProcessDrctl.run(env(), "doctor", "--service", "backup", "--service", "status-service");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("backup-service").contains("status-service").doesNotContain("recovery-service")
                .contains("All 4 checks passed.");
        assertThat(services.requests("/recovery" + SELF_CHECK).size()).isZero();

        InProcessDrctl.Run unknown = InProcessDrctl.run(env(), "doctor", "--service", "billing");
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unknown service 'billing'");
    }

    @Test
    void jsonHasEachReportOrAnErrorAndTheClocks() throws Exception {
        String down = "http://127.0.0.1:" + freePort();

        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_STATUS_URL", down), "doctor", "-o", "json");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode printed = Json.MAPPER.readTree(run.out());
        assertThat(printed.path("ok").asBoolean(true)).isEqualTo(false);
        assertThat(printed.path("services").size()).isEqualTo(4);
        assertThat(printed.path("services").get(0).path("checks").get(0).path("name").asText())
                .isEqualTo("PostgreSQL backup reachable");
        JsonNode error = printed.path("services").get(3);
        assertThat(error.path("service").asText()).isEqualTo("status-service");
        assertThat(error.path("ok").asBoolean(true)).isEqualTo(false);
        assertThat(error.path("error").asText()).contains("no connection");
        assertThat(error.path("fix").asText()).contains("Start status-service");
        assertThat(printed.path("clock").size()).isEqualTo(3);
        assertThat(printed.path("clock").get(0).path("ok").asBoolean(false)).isTrue();
        assertThat(printed.path("clock").get(0).has("skewMillis")).isTrue();
    }

    @Test
    void aTokenDrctlCannotReadIsOneCross() {
        Map<String, String> env = env();
        env.remove("DRCTL_TOKEN");
        env.put("DRCTL_TOKEN_FILE", dir.resolve("missing.jwt").toString());

        InProcessDrctl.Run run = InProcessDrctl.run(env, "doctor");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("  ✗ drctl's token (the file " + dir.resolve("missing.jwt"))
                .contains("Cannot read the token file").contains("fix: Fix the token's source");
        assertThat(services.requests("/backup" + SELF_CHECK).size()).isZero();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
