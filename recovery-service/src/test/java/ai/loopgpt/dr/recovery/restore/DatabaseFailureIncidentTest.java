package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.recovery.incident.Incident;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.recovery.CommunicationPeersResource;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The plan's database failure, end to end with every real peer: the declaration shows on the status
 * page and reaches the users' mail and Slack #incidents; the runbook's restore step restores a real
 * backup (from the real backup-service) into the allowed destination; the resolution mail states the
 * measured duration and data loss and the public incident is resolved; the post-mortem renders it all.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
@WithTestResource(CommunicationPeersResource.class)
class DatabaseFailureIncidentTest {

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(condition);
    }

    private static List<SmtpServer.Message> mails(String subjectStart) {
        return CommunicationPeersResource.smtp().messages().stream()
                .filter(m -> m.to().contains(CommunicationPeersResource.USERS) && m.header("Subject").startsWith(subjectStart))
                .toList();
    }

    @Test
    void theWholeIncidentWithEveryRealPeer() {
        JsonPath backup = RestoreResourceTest.backupOf("scratch", "");
        String title = "Orders database corrupted " + UUID.randomUUID().toString().substring(0, 6);
        int issuesBefore = mails("LoopGPT Service Issue - ").size();
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"" + title + "\",\"scenario\":\"database-failure\",\"severity\":\"CRITICAL\","
                        + "\"summary\":\"Orders fail to save.\",\"affectedComponents\":[\"database\"],"
                        + "\"affectedTargets\":[\"scratch\"],\"roles\":{\"incidentCommander\":\"ana@loopgpt.ai\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        String pageId = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id).then()
                .extract().path("statusPageId");
        await("the public incident", () -> title.equals(given().baseUri(CommunicationPeersResource.status().url())
                .when().get("/api/v2/incidents/unresolved.json").then().extract().jsonPath()
                .getString("incidents.find { it.id == '" + pageId + "' }.name")));
        await("the incident mail", () -> mails("LoopGPT Service Issue - ").size() > issuesBefore);
        await("Slack #incidents", () -> CommunicationPeersResource.slack().requests("/slack/incidents").stream()
                .anyMatch(r -> r.body().contains("LoopGPT Service Issue")));

        String link = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"restore\":{\"target\":\"scratch\",\"latestBefore\":\"" + Instant.now() + "\",\"destination\":\"scratch\"}}")
                .when().post("/api/v1/incidents/" + id + "/steps/restore-database").then().statusCode(202)
                .extract().path("link");
        JsonPath restore = RestoreResourceTest.awaitRestore(link.substring(link.lastIndexOf('/') + 1));
        assertEquals("SUCCEEDED", restore.getString("phase"), restore.prettify());
        assertEquals(backup.getString("id"), restore.getString("backupId"));

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"rootCause\":\"A corrupted index\",\"preventiveMeasures\":\"Checksums on\"}")
                .when().post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200)
                .body("objectives.rpo.scratch.backupId", equalTo(backup.getString("id")))
                .body("objectives.actions[0].step", equalTo("restore-database"))
                .body("objectives.actions[0].phase", equalTo("SUCCEEDED"))
                .body("objectives.actions[0].durationSeconds", org.hamcrest.Matchers.notNullValue());
        await("the resolution mail with duration and data loss", () -> mails("LoopGPT Service Restored - ").stream()
                .anyMatch(m -> m.data().contains("A corrupted index") && m.data().contains("Incident Duration:")
                        && m.data().contains("at most")));
        await("the public incident resolved", () -> "resolved".equals(given().baseUri(CommunicationPeersResource.status()
                .url()).auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + pageId).then().extract()
                .path("status")));
        String report = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/postmortem")
                .then().statusCode(200).extract().asString();
        for (String expected : List.of("declared", "restore-database (started)", "| " + link + " |", "resolved",
                "A corrupted index", "RPO of scratch: ", "Public incident visible: ")) {
            assertTrue(report.contains(expected), expected + " in:\n" + report);
        }
    }
}
