package ai.loopgpt.dr.backup;

import static ai.loopgpt.dr.backup.BackupTesting.keysUnder;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The packaged backup-service killed (SIGKILL) in the middle of a drill and of a retention sweep:
 * nothing is left marked done that is not, and the next run finishes the work.
 */
class DrillAndRetentionCrashIT {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(
                BackupServiceResource.environment(PostgresResource.server(), S3Resource.server()));
        env.put("BACKUP_REAPER_EVERY", "2s");
        env.put("BACKUP_REAPER_DELAY", "1s");
        env.put("BACKUP_DRILLS_SCHEDULE_ENABLED", "false");
        env.put("BACKUP_SWEEP_EVERY", "off");
        // Manual backups expire as soon as they are taken: only the newest of a target is kept.
        env.put("BACKUP_RETENTION_MANUAL_DAYS", "0");
        return env;
    }

    private static Map<String, String> crashingAt(String failpoint) {
        Map<String, String> env = env();
        env.put("QUARKUS_PROFILE", "prod,failpoints");
        env.put("DR_FAILPOINTS", failpoint);
        return env;
    }

    @Test
    void aDrillKilledWhileVerifyingEndsFailedAndTheNextOnePasses() throws Exception {
        String drill;
        try (ServiceProcess service = ServiceProcess.start("backup-service", crashingAt("drill.verifying"))) {
            assertEquals("SUCCEEDED", backup(service).getString("phase"));
            drill = post(service, Tokens.operator(), "/api/v1/drills", "{\"type\":\"integrity\",\"target\":\"vault\"}");
            service.awaitLog("FAILPOINT drill.verifying reached", Duration.ofMinutes(1));
            service.kill();
        }
        try (ServiceProcess service = ServiceProcess.start("backup-service", env())) {
            JsonPath failed = await(service, "/api/v1/drills/" + drill);
            assertEquals("FAILED", failed.getString("phase"));
            assertTrue(failed.getString("failureReason").startsWith("Interrupted"), failed.prettify());
            String next = post(service, Tokens.operator(), "/api/v1/drills", "{\"type\":\"integrity\",\"target\":\"vault\"}");
            assertEquals("SUCCEEDED", await(service, "/api/v1/drills/" + next).getString("phase"));
        }
    }

    @Test
    void aSweepKilledBetweenObjectAndManifestIsFinishedByTheNext() throws Exception {
        JsonPath old;
        try (ServiceProcess service = ServiceProcess.start("backup-service", crashingAt("retention.object-deleted"))) {
            old = backup(service);
            backup(service);
            // The sweep runs in the request, which never returns: the process is killed under it.
            CompletableFuture.runAsync(() -> given().baseUri(service.url()).auth().oauth2(Tokens.admin())
                    .when().post("/api/v1/retention/sweep"));
            service.awaitLog("FAILPOINT retention.object-deleted reached", Duration.ofMinutes(1));
            service.kill();
        }
        try (S3Client s3 = BackupTesting.s3()) {
            List<String> keys = keysUnder(s3, "backups/vault/");
            assertFalse(keys.contains(old.getString("objectKey")), "the object went first");
            assertTrue(keys.contains(old.getString("manifestKey")), "its manifest is still there");
        }
        try (ServiceProcess service = ServiceProcess.start("backup-service", env())) {
            assertEquals("SUCCEEDED", get(service, "/api/v1/backups/" + old.getString("id")).getString("phase"),
                    "not marked expired before its manifest is gone");
            given().baseUri(service.url()).auth().oauth2(Tokens.admin()).when().post("/api/v1/retention/sweep").then()
                    .statusCode(200);
            assertEquals("EXPIRED", get(service, "/api/v1/backups/" + old.getString("id")).getString("phase"));
            try (S3Client s3 = BackupTesting.s3()) {
                assertFalse(keysUnder(s3, "backups/vault/").contains(old.getString("manifestKey")));
            }
        }
    }

    private static JsonPath backup(ServiceProcess service) {
        String id = post(service, Tokens.operator(), "/api/v1/backups", "{\"target\":\"vault\",\"kind\":\"manual\"}");
        return await(service, "/api/v1/backups/" + id);
    }

    private static String post(ServiceProcess service, String token, String path, String body) {
        return given().baseUri(service.url()).auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post(path).then().statusCode(202).extract().path("id");
    }

    private static JsonPath await(ServiceProcess service, String path) {
        return JobPolling.awaitPhase(service.url() + path, Tokens.viewer(), JobPolling.ENDED, Duration.ofMinutes(1),
                Duration.ofMillis(300));
    }

    private static JsonPath get(ServiceProcess service, String path) {
        return given().baseUri(service.url()).auth().oauth2(Tokens.viewer()).when().get(path).then().statusCode(200)
                .extract().jsonPath();
    }
}
