package ai.loopgpt.dr.backup;

import static ai.loopgpt.dr.backup.BackupTesting.awaitFinal;
import static ai.loopgpt.dr.backup.BackupTesting.keysUnder;
import static ai.loopgpt.dr.backup.BackupTesting.openUploads;
import static ai.loopgpt.dr.backup.BackupTesting.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.service.BackupService;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 going down in the middle of an upload: the backup ends FAILED and leaves nothing behind. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(FaultyS3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
class BackupUploadFailureTest {

    @Inject
    BackupService backups;

    @Test
    void s3FailingMidUploadEndsFailedWithNoObjectAndNoOpenUpload() throws Exception {
        // The big sample compresses to about 9 MB: down after the first 5 MB part is on its way.
        FaultyS3Resource.proxy.failAfter(6L * 1024 * 1024);
        JsonPath failed = awaitFinal(request("{\"target\":\"big\",\"kind\":\"manual\"}"));
        assertTrue(FaultyS3Resource.proxy.isDown(), "the proxy cut the upload");
        assertEquals("FAILED", failed.getString("phase"), failed.prettify());
        assertTrue(failed.getString("failureReason").contains("S3"), failed.prettify());

        // S3 comes back: the leftover multipart upload is aborted by the reaper.
        FaultyS3Resource.proxy.heal();
        backups.reap();
        try (S3Client s3 = BackupTesting.s3()) {
            assertEquals(List.of(), keysUnder(s3, "backups/big/"));
            assertEquals(List.of(), openUploads(s3, "backups/big/"));
        }
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + failed.getString("id")).then()
                .body("objectKey", nullValue());

        // And the next backup works.
        JsonPath next = awaitFinal(request("{\"target\":\"big\",\"kind\":\"manual\"}"));
        assertEquals("SUCCEEDED", next.getString("phase"), next.prettify());
    }

    @Test
    void s3FrozenMidUploadFailsWithinTheStallTimeoutAndStopsPgDump() throws Exception {
        // Frozen like a stopped process once the first 5 MB part is on its way: nothing is refused,
        // nothing is answered, and a socket write to it blocks for ever.
        FaultyS3Resource.proxy.freezeAfter(6L * 1024 * 1024);
        long started = System.nanoTime();
        JsonPath failed;
        try {
            failed = awaitFinal(request("{\"target\":\"big\",\"kind\":\"manual\"}"));
            assertTrue(FaultyS3Resource.proxy.isFrozen(), "the proxy froze mid-upload");
        } finally {
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            FaultyS3Resource.proxy.heal();
            assertTrue(seconds < 60, "the stalled backup ended after " + seconds + " s (stall-timeout 5 s)");
        }
        assertEquals("FAILED", failed.getString("phase"), failed.prettify());
        assertTrue(failed.getString("failureReason").contains("backup.storage.stall-timeout"), failed.prettify());
        assertEquals(List.of(), ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("pg_dump")).filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid).toList(), "no pg_dump left running");

        // S3 back: nothing of the stalled backup is left once the reaper has run.
        backups.reap();
        try (S3Client s3 = BackupTesting.s3()) {
            assertEquals(List.of(), openUploads(s3, "backups/big/"));
        }
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + failed.getString("id")).then()
                .body("objectKey", nullValue());
    }

    @Test
    void readinessAnswersWithinSecondsWhileS3IsFrozen() {
        FaultyS3Resource.proxy.freeze();
        try {
            long started = System.nanoTime();
            ai.loopgpt.dr.testing.Management.given().when().get("/q/health/ready").then().statusCode(503)
                    .body(org.hamcrest.Matchers.containsString("did not answer within"));
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            org.junit.jupiter.api.Assertions.assertTrue(seconds < 8, "readiness answered in " + seconds + " s");
        } finally {
            FaultyS3Resource.proxy.heal();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> ai.loopgpt.dr.testing.Management.given().when().get("/q/health/ready").statusCode() == 200);
    }
}
