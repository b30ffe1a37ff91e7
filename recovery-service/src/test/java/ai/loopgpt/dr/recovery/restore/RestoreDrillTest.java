package ai.loopgpt.dr.recovery.restore;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * backup-service's restore drill against this (real) recovery-service: the newest good backup is
 * restored into the scratch destination, verified, measured and dropped, and a drill whose restore
 * fails leaves no scratch database either. backup-service runs packaged, pointed at this service.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
class RestoreDrillTest {

    @Test
    void aRestoreDrillRestoresIntoScratchMeasuresAndLeavesNothingBehind() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(BackupServiceResource.environment(PostgresResource.server(),
                S3Resource.server()));
        env.put("BACKUP_DRILLS_RECOVERY_URL", "http://127.0.0.1:" + RestAssured.port);
        env.put("BACKUP_DRILLS_RECOVERY_TOKEN", Tokens.as("system:serviceaccount:dr:backup-service", "dr-service"));
        env.put("BACKUP_DRILLS_SCRATCH_DESTINATION", DestinationsResource.DRILL_SCRATCH);
        env.put("BACKUP_DRILLS_SCHEDULE_ENABLED", "false");
        try (ServiceProcess backups = ServiceProcess.start("backup-service", env)) {
            String backupId = given().baseUri(backups.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"target\":\"vault\",\"kind\":\"manual\",\"reason\":\"drill source\"}")
                    .when().post("/api/v1/backups").then().statusCode(202).extract().path("id");
            JsonPath backup = awaitFinal(backups, "/api/v1/backups/" + backupId);
            assertEquals("SUCCEEDED", backup.getString("phase"), backup.prettify());

            JsonPath drill = awaitFinal(backups, drill(backups, "{\"type\":\"restore\",\"target\":\"vault\"}"));
            assertEquals("SUCCEEDED", drill.getString("phase"), drill.prettify());
            assertEquals(backupId, drill.getString("backupId"));
            assertNotNull(drill.get("rtoSeconds"), drill.prettify());
            assertTrue(drill.getInt("evidence.tablesVerified") > 0, drill.prettify());
            assertEquals(true, drill.getBoolean("evidence.withinRto"));
            assertNotNull(drill.getString("evidence.scratchDroppedAt"), "the scratch copy is dropped");
            assertEquals(List.of(), scratchDatabases(), "no scratch database left");
            // recovery-service's own record: a drill restore into the scratch destination, verified and dropped.
            given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/restores/" + drill.getString("restoreId")).then()
                    .statusCode(200).body("mode", org.hamcrest.Matchers.equalTo("drill"))
                    .body("destination", org.hamcrest.Matchers.equalTo(DestinationsResource.DRILL_SCRATCH));

            // The object altered in the bucket: the test restore fails, and still leaves nothing behind.
            try (S3Client s3 = RestoreResourceTest.s3()) {
                s3.putObject(b -> b.bucket(S3Resource.BUCKET).key(backup.getString("objectKey")),
                        RequestBody.fromBytes(new byte[] {31, -117, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
            }
            JsonPath failed = awaitFinal(backups, drill(backups, "{\"type\":\"restore\",\"target\":\"vault\",\"backupId\":\""
                    + backupId + "\"}"));
            assertEquals("FAILED", failed.getString("phase"), failed.prettify());
            assertTrue(failed.getString("failureReason").contains("Checksum mismatch"), failed.getString("failureReason"));
            assertEquals(List.of(), scratchDatabases(), "no scratch database left after a failed drill");

            // A drill into a destination that is not scratch is refused by recovery-service itself.
            given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                    .body("{\"backupId\":\"" + backupId + "\",\"destination\":\"vault\",\"mode\":\"drill\"}")
                    .when().post("/api/v1/restores").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("scratch"));

            String report = given().baseUri(backups.url()).auth().oauth2(Tokens.viewer()).when()
                    .get("/api/v1/drills/report").then().statusCode(200).contentType(containsString("text/markdown"))
                    .extract().asString();
            assertTrue(report.contains("## vault"), report);
            assertTrue(report.contains("| " + drill.getString("startedAt").substring(0, 19)), report);
            assertTrue(report.contains("Checksum mismatch"), report);
            assertTrue(report.contains("RTO samples: 1"), report);
        }
    }

    private static String drill(ServiceProcess backups, String body) {
        String id = given().baseUri(backups.url()).auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/drills").then().statusCode(202).extract().path("id");
        return "/api/v1/drills/" + id;
    }

    private static JsonPath awaitFinal(ServiceProcess service, String path) {
        return JobPolling.awaitPhase(service.url() + path, Tokens.viewer(), JobPolling.ENDED, Duration.ofMinutes(3),
                Duration.ofMillis(300));
    }

    private static List<String> scratchDatabases() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'drill_scratch%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
