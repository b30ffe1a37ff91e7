package ai.loopgpt.dr.backup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drill report's "Game days" section: what recovery-service says about its game days, read with
 * backup-service's dr-service token, one table per game day; a recovery-service that is down or
 * answers nonsense is one line, and the rest of the report is still served. recovery-service is a
 * real HTTP server on loopback ({@link AlertPeersResource#recovery()}); the same resources as
 * {@link AlertTest}, so both run in one application.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(AlertPeersResource.class)
class DrillReportGameDaysTest {

    private static final String GAME_DAYS = "/api/v1/drills/game-days";
    private static final String SINCE = "2026-09-01T00:00:00Z";

    /** Two game days, newest first: a FAILED one with a scenario of each outcome, and an older SUCCEEDED one. */
    private static final String TWO_GAME_DAYS = """
            [
              {"id": "6f1c4c2e-8a57-4d5e-9a51-0c3b2c8a1f01", "phase": "FAILED", "requestedBy": "ops@loopgpt.test",
               "createdAt": "2026-11-30T10:00:00.123456Z", "startedAt": "2026-11-30T10:00:02.5Z",
               "finishedAt": "2026-11-30T10:20:00Z",
               "failureReason": "edge-function-rollback failed at rollback-deployment: the edge API answered 502",
               "objectives": {"rtoSeconds": 14400, "rpoSeconds": 3600},
               "scenarios": [
                 {"scenario": "database-restore", "title": "Database restore", "phase": "SUCCEEDED",
                  "incidentId": "0d6e1b0a-1111-4c4c-8f8f-000000000001", "startedAt": "2026-11-30T10:00:02Z",
                  "finishedAt": "2026-11-30T10:00:20Z", "failedStep": null, "reason": null,
                  "rtoSeconds": 42, "rpoSeconds": 300.0, "firstMessageSeconds": 2.1, "actions": []},
                 {"scenario": "edge-function-rollback", "title": "Edge function rollback", "phase": "FAILED",
                  "incidentId": "0d6e1b0a-1111-4c4c-8f8f-000000000002", "startedAt": "2026-11-30T10:00:21Z",
                  "finishedAt": "2026-11-30T10:01:00Z", "failedStep": "rollback-deployment",
                  "reason": "the edge API answered 502 | <b>retry</b> later",
                  "rtoSeconds": null, "rpoSeconds": null, "firstMessageSeconds": 3.0,
                  "actions": [{"step": "rollback-deployment", "kind": "rollback", "link": null, "outcome": "FAILED",
                               "seconds": 1.5, "detail": "502"}]},
                 {"scenario": "complete-service-recovery", "title": "Complete service recovery", "phase": "SKIPPED",
                  "incidentId": null, "startedAt": null, "finishedAt": null, "failedStep": null,
                  "reason": "skipped: an earlier scenario failed", "rtoSeconds": null, "rpoSeconds": null,
                  "firstMessageSeconds": null, "actions": []}
               ]},
              {"id": "6f1c4c2e-8a57-4d5e-9a51-0c3b2c8a1f00", "phase": "SUCCEEDED", "requestedBy": "cronjob",
               "createdAt": "2026-09-02T04:00:00Z", "startedAt": "2026-09-02T04:00:01Z",
               "finishedAt": "2026-09-02T05:30:00Z", "failureReason": null,
               "objectives": {"rtoSeconds": 14400, "rpoSeconds": 3600},
               "scenarios": [
                 {"scenario": "communication-plan", "title": "Communication plan", "phase": "SUCCEEDED",
                  "incidentId": null, "startedAt": "2026-09-02T04:00:01Z", "finishedAt": "2026-09-02T05:30:00Z",
                  "failedStep": null, "reason": null, "rtoSeconds": 5400, "rpoSeconds": null,
                  "firstMessageSeconds": 75, "actions": []}
               ]}
            ]
            """;

    @AfterEach
    void recoveryServiceBackUp() {
        AlertPeersResource.recoveryLink().heal();
    }

    private static String report() {
        return given().auth().oauth2(Tokens.viewer()).queryParam("since", SINCE).when().get("/api/v1/drills/report")
                .then().statusCode(200).extract().asString();
    }

    private static String gameDaysSection(String report) {
        assertTrue(report.startsWith("# Backup drills\n\nDrills since " + SINCE), report);
        int at = report.indexOf("\n## Game days\n");
        assertTrue(at > 0, report);
        return report.substring(at);
    }

    @Test
    void eachGameDayIsATableOfItsScenariosAgainstTheObjectives() {
        AlertPeersResource.recovery().script(GAME_DAYS,
                Answer.of(200, TWO_GAME_DAYS, "Content-Type", "application/json"));
        int before = AlertPeersResource.recovery().requests(GAME_DAYS).size();

        String section = gameDaysSection(report());

        List<HttpReceiver.Request> asked = AlertPeersResource.recovery().requests(GAME_DAYS);
        assertEquals(before + 1, asked.size());
        HttpReceiver.Request request = asked.get(asked.size() - 1);
        assertEquals("GET", request.method());
        assertEquals("Bearer " + AlertPeersResource.recoveryToken(), request.header("Authorization"));
        assertEquals("since=" + SINCE, URLDecoder.decode(request.query(), StandardCharsets.UTF_8));

        int failed = section.indexOf("### 2026-11-30T10:00:02Z, FAILED, requested by ops@loopgpt.test\n");
        int succeeded = section.indexOf("### 2026-09-02T04:00:01Z, SUCCEEDED, requested by cronjob\n");
        assertTrue(failed > 0 && succeeded > failed, "newest first:\n" + section);
        assertTrue(section.contains("\nedge-function-rollback failed at rollback-deployment: the edge API answered 502\n"),
                section);
        assertTrue(section.contains("| Scenario | Phase | RTO | RPO | First message | Failed step | Reason |\n"), section);
        assertTrue(section.contains("| Database restore | SUCCEEDED | 42 s of 4 h | 5 min of 1 h | 2.1 s | – | – |\n"),
                section);
        assertTrue(section.contains("| Edge function rollback | FAILED | – | – | 3 s | rollback-deployment "
                + "| the edge API answered 502 \\| \\<b\\>retry\\</b\\> later |\n"), section);
        assertTrue(section.contains("| Complete service recovery | SKIPPED | – | – | – | – "
                + "| skipped: an earlier scenario failed |\n"), section);
        assertTrue(section.contains("| Communication plan | SUCCEEDED | 1 h 30 min of 4 h | – | 1 min 15 s | – | – |\n"),
                section);
    }

    @Test
    void aRecoveryServiceThatIsDownOrAnswersNonsenseIsOneLineAndTheReportIsStillServed() {
        AlertPeersResource.recoveryLink().failAfter(0);
        String down = report();
        String section = gameDaysSection(down);
        assertTrue(section.contains("\nThe game days could not be read: recovery-service does not answer"), section);
        assertFalse(down.contains(AlertPeersResource.recoveryToken()), down);
        AlertPeersResource.recoveryLink().heal();

        AlertPeersResource.recovery().script(GAME_DAYS, Answer.of(503, "{\"detail\":\"Starting up.\"}"));
        assertTrue(gameDaysSection(report()).contains(
                "\nThe game days could not be read: recovery-service answered 503: Starting up.\n"));

        AlertPeersResource.recovery().script(GAME_DAYS, Answer.of(200, "<html>a proxy's page</html>"));
        assertTrue(gameDaysSection(report()).contains(
                "\nThe game days could not be read: recovery-service answered 200 with a body that is not JSON.\n"));

        AlertPeersResource.recovery().script(GAME_DAYS, Answer.of(200, "[]"));
        assertTrue(gameDaysSection(report()).contains("\nNo game days in this period.\n"));
    }
}
