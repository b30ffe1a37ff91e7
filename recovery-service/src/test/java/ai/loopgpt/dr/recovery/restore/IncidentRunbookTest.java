package ai.loopgpt.dr.recovery.restore;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An incident runs its scenario's runbook: checklist items ticked once, the restore step restoring a
 * real backup into an allowed destination, everything on the timeline; bad steps are problems.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
class IncidentRunbookTest {

    @Test
    void theRunbooksAreThePlans() {
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/runbooks").then().statusCode(200)
                .body("scenario", hasItem("data-breach")).body("$", hasSize(5));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/runbooks/database-failure").then().statusCode(200)
                .body("version", equalTo(2))
                .body("steps.find { it.id == 'resume-operations' }.action", equalTo("set-components"))
                .body("steps.find { it.id == 'restore-database' }.action", equalTo("restore"))
                .body("steps.find { it.id == 'notify-users' }.owner", equalTo("communicationsLead"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/runbooks/flood").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("database-failure"));
    }

    @Test
    void aProviderOutageMarksItsComponentFailsOverAndKeepsTheQueuedWork() {
        String instacart = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Instacart API down\",\"scenario\":\"provider-outage\",\"severity\":\"MINOR\","
                        + "\"provider\":\"instacart\"}")
                .when().post("/api/v1/incidents").then().statusCode(201)
                .body("affectedComponents", hasItem("instacart")).extract().path("id");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + instacart + "/timeline").then()
                .body("find { it.kind == 'failover' }.note", containsString("to shipt"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/providers").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.contains("instacart", "shipt"))
                .body("find { it.name == 'instacart' }.down", equalTo(true))
                .body("find { it.name == 'shipt' }.down", equalTo(false));
        String shipt = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Shipt API down\",\"scenario\":\"provider-outage\",\"severity\":\"MAJOR\","
                        + "\"provider\":\"shipt\"}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + shipt + "/timeline").then()
                .body("find { it.kind == 'failover' }.note", containsString("queue orders"));

        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body("{\"items\":12,\"note\":\"orders\"}")
                .when().post("/api/v1/providers/shipt/queue").then().statusCode(201).body("queuedItems", equalTo(12));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/providers").then()
                .body("find { it.name == 'shipt' }.queuedItems", equalTo(12));
        given().auth().oauth2(Tokens.operator()).when().delete("/api/v1/providers/shipt/queue").then().statusCode(200)
                .body("processedItems", equalTo(12));

        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body("{\"items\":0}")
                .when().post("/api/v1/providers/shipt/queue").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body("{\"items\":1}")
                .when().post("/api/v1/providers/postmates/queue").then().statusCode(404);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"scenario\":\"database-failure\",\"severity\":\"MINOR\",\"provider\":\"shipt\"}")
                .when().post("/api/v1/incidents").then().statusCode(400).body("detail", containsString("provider-outage"));
        for (String id : List.of(instacart, shipt)) {
            given().auth().oauth2(Tokens.operator()).when().post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200);
        }
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/providers").then()
                .body("down", org.hamcrest.Matchers.everyItem(equalTo(false)));
    }

    @Test
    void aGameDayRestoresIntoTheScratchDestinationOnly() throws Exception {
        RestoreResourceTest.backupOf("vault", "");
        String id = given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"scenario\":\"database-failure\"}").when().post("/api/v1/drills/game-days").then()
                .statusCode(201).extract().path("id");
        String steps = "/api/v1/incidents/" + id + "/steps/";
        String restore = "{\"restore\":{\"target\":\"vault\",\"latestBefore\":\"" + Instant.now() + "\",\"destination\":\"";
        // Production is out of reach on a game day.
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(restore + "vault\"}}")
                .when().post(steps + "restore-database").then().statusCode(400)
                .body("detail", containsString("scratch"));
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body(restore + "vault\",\"mode\":\"in-place\",\"confirm\":\"vault\"}}")
                .when().post(steps + "restore-database").then().statusCode(400);
        String link = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body(restore + DestinationsResource.DRILL_SCRATCH + "\"}}")
                .when().post(steps + "restore-database").then().statusCode(202).extract().path("link");
        JsonPath done = RestoreResourceTest.awaitRestore(link.substring(link.lastIndexOf('/') + 1));
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        assertEquals("drill", done.getString("mode"));
        org.junit.jupiter.api.Assertions.assertNotNull(done.getString("scratchDroppedAt"));
        // Nothing for the public page: the outbox holds no message to status-service for it.
        try (java.sql.Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                java.sql.PreparedStatement q = c.prepareStatement(
                        "SELECT count(*) FROM recovery.peer_outbox WHERE incident_id = ? AND peer = 'status'")) {
            q.setObject(1, java.util.UUID.fromString(id));
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void aDatabaseFailureIncidentRestoresThroughItsRunbookAndKeepsATimeline() {
        JsonPath backup = RestoreResourceTest.backupOf("scratch", "");
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Orders database corrupted\",\"scenario\":\"database-failure\",\"severity\":\"CRITICAL\","
                        + "\"summary\":\"Writes fail with checksum errors\",\"affectedComponents\":[\"database\",\"orders\"],\"affectedTargets\":[\"scratch\"],"
                        + "\"roles\":{\"incidentCommander\":\"ana@loopgpt.ai\",\"technicalLead\":\"bo@loopgpt.ai\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201)
                .body("runbookVersion", equalTo(2)).body("roles.technicalLead", equalTo("bo@loopgpt.ai"))
                .body("affectedComponents", hasItem("orders")).extract().path("id");
        String steps = "/api/v1/incidents/" + id + "/steps/";

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"note\":\"dashboard red\"}")
                .when().post(steps + "check-database-status").then().statusCode(200)
                .body("outcome", equalTo("done")).body("note", equalTo("dashboard red"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{}")
                .when().post(steps + "check-database-status").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("was done at"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{}")
                .when().post(steps + "rollback-deployment").then().statusCode(404)
                .body("detail", containsString("edge-function-failure"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{}")
                .when().post(steps + "restore-database").then().statusCode(400)
                .body("detail", containsString("\"restore\""));
        given().auth().oauth2(Tokens.viewer()).contentType(ContentType.JSON).body("{}")
                .when().post(steps + "check-provider-status").then().statusCode(403);
        // In place needs dr-admin, through a runbook as anywhere else.
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"restore\":{\"backupId\":\"" + backup.getString("id") + "\",\"destination\":\"scratch\","
                        + "\"mode\":\"in-place\",\"confirm\":\"scratch\"}}")
                .when().post(steps + "restore-database").then().statusCode(403);

        String link = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"note\":\"latest good backup\",\"restore\":{\"target\":\"scratch\",\"latestBefore\":\""
                        + Instant.now() + "\",\"destination\":\"scratch\"}}")
                .when().post(steps + "restore-database").then().statusCode(202)
                .body("outcome", equalTo("started")).extract().path("link");
        JsonPath restore = RestoreResourceTest.awaitRestore(link.substring(link.lastIndexOf('/') + 1));
        assertEquals("SUCCEEDED", restore.getString("phase"), restore.prettify());
        assertEquals(backup.getString("id"), restore.getString("backupId"));

        // The runbook's communication steps: components back in operation, an update posted.
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{}")
                .when().post(steps + "notify-users").then().statusCode(400).body("detail", containsString("\"update\""));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"components\":{\"database\":\"fine\"}}")
                .when().post(steps + "resume-operations").then().statusCode(400);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"components\":{\"database\":\"operational\",\"orders\":\"operational\"}}")
                .when().post(steps + "resume-operations").then().statusCode(200).body("outcome", equalTo("done"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"update\":{\"status\":\"monitoring\",\"body\":\"Restored from the 10:00 backup.\"}}")
                .when().post(steps + "notify-users").then().statusCode(200);

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"rootCause\":\"A bad migration\",\"preventiveMeasures\":\"Review migrations\"}")
                .when().post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED")).body("rootCause", equalTo("A bad migration"))
                // Measured: RTO from the start, RPO back to the last good backup before it.
                .body("objectives.rtoMet", equalTo(true))
                .body("objectives.rpo.scratch.backupId", equalTo(backup.getString("id")))
                .body("objectives.rpo.scratch.met", equalTo(true));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{}")
                .when().post(steps + "resume-operations").then().statusCode(409);

        List<String> kinds = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/timeline")
                .then().statusCode(200).extract().jsonPath().getList("collect { it.kind + ':' + (it.step ?: '') + ':' + (it.outcome ?: '') }");
        assertEquals(List.of("declared::", "step:check-database-status:done", "step:restore-database:started",
                "step:resume-operations:done", "update::monitoring", "step:notify-users:done", "resolved::"), kinds);
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/timeline").then()
                .body("find { it.step == 'restore-database' }.link", equalTo(link));

        // The post-mortem: action items with owners and deadlines, the report from the timeline.
        String postmortem = "/api/v1/incidents/" + id + "/postmortem";
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"description\":\"Alert on failed migrations\",\"dueDate\":\"2026-12-31\"}")
                .when().post(postmortem + "/actions").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("owner"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"description\":\"Alert on failed migrations\",\"owner\":\"bo@loopgpt.ai\",\"dueDate\":\"2026-12-31\"}")
                .when().post(postmortem + "/actions").then().statusCode(201);
        String report = given().auth().oauth2(Tokens.viewer()).when().get(postmortem).then().statusCode(200)
                .contentType(containsString("text/markdown")).extract().asString();
        for (String expected : List.of("# Post-mortem: Orders database corrupted", "check-database-status (done)",
                "restore-database (started)", "| " + link + " |", "A bad migration", "RTO: ", "RPO of scratch: ",
                "| Alert on failed migrations | bo@loopgpt.ai | 2026-12-31 |", "Post-mortem due: ")) {
            org.junit.jupiter.api.Assertions.assertTrue(report.contains(expected), expected + " in:\n" + report);
        }
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"summary\":\"Restored in time.\"}")
                .when().post(postmortem + "/complete").then().statusCode(200);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"summary\":\"again\"}")
                .when().post(postmortem + "/complete").then().statusCode(409);

        // An open incident has no post-mortem yet.
        String open = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Still open\",\"scenario\":\"edge-function-failure\",\"severity\":\"MINOR\"}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + open + "/postmortem").then()
                .statusCode(409).contentType("application/problem+json");
    }
}
