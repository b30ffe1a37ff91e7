package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code drctl drill game-day} against a loopback HTTP server standing for recovery-service: what
 * --run posts, how --wait follows a game day to its end (progress, one line per scenario, exit code),
 * -o json, and the command lines refused before any call.
 */
class GameDayTest {

    static final String ID = "9d1f7a3c-2b4e-4c6d-8e9f-0a1b2c3d4e5f";
    static final String PATH = "/api/v1/drills/game-days";

    HttpReceiver recovery;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        recovery = new HttpReceiver();
    }

    @AfterEach
    void stop() {
        recovery.close();
    }

    InProcessDrctl.Run drctl(String... args) {
        return InProcessDrctl.run(InProcessDrctl.env(dir.resolve("none.yaml"), "DRCTL_RECOVERY_URL", recovery.url("")),
                args);
    }

    /** A game day of {@code scenarios} (each a scenario's JSON), as recovery-service answers it. */
    static String gameDay(String phase, String failureReason, String... scenarios) {
        return "{\"id\":\"" + ID + "\",\"phase\":\"" + phase + "\",\"requestedBy\":\"cronjob\","
                + "\"createdAt\":\"2026-12-01T10:00:00Z\",\"startedAt\":\"2026-12-01T10:00:01Z\","
                + "\"finishedAt\":" + ("RUNNING".equals(phase) || "PENDING".equals(phase) ? "null" : "\"2026-12-01T10:05:00Z\"")
                + ",\"failureReason\":" + (failureReason == null ? "null" : "\"" + failureReason + "\"")
                + ",\"objectives\":{\"rtoSeconds\":14400,\"rpoSeconds\":3600},\"scenarios\":[" + String.join(",", scenarios) + "]}";
    }

    static String scenario(String name, String phase, String failedStep, String reason, Double rto, Double rpo, Double firstMessage) {
        return "{\"scenario\":\"" + name + "\",\"title\":\"" + name + "\",\"phase\":\"" + phase + "\",\"incidentId\":null,"
                + "\"startedAt\":null,\"finishedAt\":null,\"failedStep\":" + quoted(failedStep) + ",\"reason\":" + quoted(reason)
                + ",\"rtoSeconds\":" + rto + ",\"rpoSeconds\":" + rpo + ",\"firstMessageSeconds\":" + firstMessage
                + ",\"actions\":[]}";
    }

    static String pending(String name) {
        return scenario(name, "PENDING", null, null, null, null, null);
    }

    static String quoted(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    @Test
    void runPostsAGameDayOfAllScenariosOrOfThoseGiven() throws Exception {
        recovery.script(PATH, Answer.of(202, gameDay("PENDING", null, pending("database-restore")),
                "Location", PATH + "/" + ID));

        InProcessDrctl.Run all = drctl("drill", "game-day", "--run");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out()).contains("id:").contains(ID).contains("Follow it: drctl drill game-day --show " + ID)
                .containsPattern("database-restore\\s+PENDING");
        InProcessDrctl.Run two = drctl("drill", "game-day", "--run", "--scenario", "database-restore",
                "--scenario", "communication-plan");
        assertThat(two.exit()).as(two.toString()).isZero();

        List<HttpReceiver.Request> sent = recovery.requests(PATH);
        assertThat(sent.size()).isEqualTo(2);
        assertThat(sent.get(0).method()).isEqualTo("POST");
        assertThat(Json.MAPPER.readTree(sent.get(0).body())).isEqualTo(Json.MAPPER.readTree("{\"run\":true}"));
        assertThat(Json.MAPPER.readTree(sent.get(1).body())).isEqualTo(
                Json.MAPPER.readTree("{\"run\":true,\"scenarios\":[\"database-restore\",\"communication-plan\"]}"));
    }

    @Test
    void withoutRunOneIncidentScenarioDeclaresOneDrillIncident() throws Exception {
        recovery.script(PATH, Answer.of(201, "{\"id\":\"i-1\",\"title\":\"Game day\",\"scenario\":\"database-failure\",\"drill\":true}"));

        InProcessDrctl.Run run = drctl("drill", "game-day", "--scenario", "database-failure");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Run it: drctl incident show i-1; drctl runbook show database-failure");
        assertThat(Json.MAPPER.readTree(recovery.requests(PATH).get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("{\"scenario\":\"database-failure\"}"));
    }

    @Test
    void waitFollowsAGameDayThatFailsAndSaysWhereEachScenarioFailed() {
        recovery.script(PATH, Answer.of(202, gameDay("PENDING", null, pending("database-restore"),
                pending("edge-function-rollback"))));
        recovery.script(PATH + "/" + ID,
                Answer.of(200, gameDay("RUNNING", null, scenario("database-restore", "RUNNING", null, null, null, null, null),
                        pending("edge-function-rollback"))),
                Answer.of(200, gameDay("RUNNING", null, scenario("database-restore", "SUCCEEDED", null, null, 75.4, 300.0, 2.1),
                        scenario("edge-function-rollback", "RUNNING", null, null, null, null, null))),
                Answer.of(200, gameDay("FAILED", "edge-function-rollback failed at rollback-deployment: no revision 41",
                        scenario("database-restore", "SUCCEEDED", null, null, 75.4, 300.0, 2.1),
                        scenario("edge-function-rollback", "FAILED", "rollback-deployment", "no revision 41", null, null, 3.0))));

        InProcessDrctl.Run run = drctl("drill", "game-day", "--run", "--wait");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("game day " + ID + "  RUNNING (database-restore)  0/2 scenarios ended")
                .contains("RUNNING (edge-function-rollback)  1/2 scenarios ended, last database-restore SUCCEEDED")
                .contains("Error: the game day " + ID + " ended FAILED: edge-function-rollback failed at rollback-deployment: "
                        + "no revision 41");
        assertThat(run.out()).containsPattern("SCENARIO\\s+PHASE\\s+RTO / OBJECTIVE\\s+RPO / OBJECTIVE\\s+FIRST MESSAGE\\s+DETAIL")
                .containsPattern("database-restore\\s+SUCCEEDED\\s+1m15s / 4h00m\\s+5m00s / 1h00m\\s+2s\n")
                .containsPattern("edge-function-rollback\\s+FAILED\\s+- / 4h00m\\s+- / 1h00m\\s+3s\\s+"
                        + "failed at rollback-deployment: no revision 41\n");
        assertThat(recovery.requests(PATH + "/" + ID).size()).isEqualTo(3);
    }

    @Test
    void aGameDayWithASkippedScenarioSucceeds() {
        recovery.script(PATH, Answer.of(202, gameDay("RUNNING", null,
                scenario("database-restore", "RUNNING", null, null, null, null, null), pending("communication-plan"))));
        recovery.script(PATH + "/" + ID, Answer.of(200, gameDay("SUCCEEDED", null,
                scenario("database-restore", "SUCCEEDED", null, null, 40.0, 120.0, 1.0),
                scenario("communication-plan", "SKIPPED", null, "the drill audience has no channel", null, null, null))));

        InProcessDrctl.Run run = drctl("drill", "game-day", "--run", "--wait");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("phase:").contains("SUCCEEDED")
                .containsPattern("database-restore\\s+SUCCEEDED\\s+40s / 4h00m\\s+2m00s / 1h00m\\s+1s\n")
                .containsPattern("communication-plan\\s+SKIPPED\\s+- / 4h00m\\s+- / 1h00m\\s+-\\s+"
                        + "skipped: the drill audience has no channel\n");
        assertThat(run.err()).doesNotContain("Error");
    }

    @Test
    void jsonPrintsTheApisAnswer() throws Exception {
        String succeeded = gameDay("SUCCEEDED", null, scenario("database-restore", "SUCCEEDED", null, null, 40.0, 120.0, 1.0));
        recovery.script(PATH, Answer.of(202, gameDay("PENDING", null, pending("database-restore"))));
        recovery.script(PATH + "/" + ID, Answer.of(200, succeeded));

        InProcessDrctl.Run run = drctl("drill", "game-day", "--run", "--scenario", "database-restore", "--wait", "-o", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(Json.MAPPER.readTree(run.out())).isEqualTo(Json.MAPPER.readTree(succeeded));

        InProcessDrctl.Run started = drctl("drill", "game-day", "--run", "-o", "json");
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(Json.MAPPER.readTree(started.out()))
                .isEqualTo(Json.MAPPER.readTree(gameDay("PENDING", null, pending("database-restore"))));
    }

    @Test
    void showPrintsAGameDayAndWaitFollowsIt() {
        recovery.script(PATH + "/" + ID, Answer.of(200, gameDay("FAILED", "database-restore failed at restore-database: disk full",
                scenario("database-restore", "FAILED", "restore-database", "disk full", null, null, null))));

        InProcessDrctl.Run show = drctl("drill", "game-day", "--show", ID);
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).containsPattern("database-restore\\s+FAILED\\s+- / 4h00m\\s+- / 1h00m\\s+-\\s+"
                + "failed at restore-database: disk full");

        InProcessDrctl.Run follow = drctl("drill", "game-day", "--show", ID, "--wait");
        assertThat(follow.exit()).as(follow.toString()).isEqualTo(ExitCodes.FAILED);
    }

    @ParameterizedTest(name = "drctl {0}")
    @MethodSource("refusedCommandLines")
    void aWrongCommandLineIsRefusedBeforeAnyCall(String commandLine, String message) {
        InProcessDrctl.Run run = drctl(ShellWords.split(commandLine).toArray(String[]::new));

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message);
        assertThat(recovery.requests(PATH).size()).isZero();
    }

    static Stream<Arguments> refusedCommandLines() {
        String gameDayScenarios = "database-restore, edge-function-rollback, complete-service-recovery, communication-plan";
        String incidentScenarios = "database-failure, edge-function-failure, provider-outage, complete-outage, data-breach";
        return Stream.of(
                Arguments.of("drill game-day --run --scenario database-restor",
                        "--scenario 'database-restor' is not a game-day scenario: " + gameDayScenarios + "."),
                Arguments.of("drill game-day --run --scenario database-failure",
                        "--scenario 'database-failure' is an incident scenario; a game day (--run) runs test scenarios: "
                                + gameDayScenarios),
                Arguments.of("drill game-day --scenario database-restore",
                        "--scenario 'database-restore' is a game-day scenario: run it with --run"),
                Arguments.of("drill game-day --scenario database-failur",
                        "--scenario 'database-failur' is not an incident scenario: " + incidentScenarios),
                Arguments.of("drill game-day", "Give --run to run a game day, or --scenario S"),
                Arguments.of("drill game-day --scenario database-failure --scenario data-breach", "Without --run, give one --scenario"),
                Arguments.of("drill game-day --scenario database-failure --wait", "--wait follows a game day: add --run"),
                Arguments.of("drill game-day --run --wait --wait-timeout 2x", "not a duration"),
                Arguments.of("drill game-day --show " + ID + " --run", "--show ID shows a game day that exists"));
    }
}
