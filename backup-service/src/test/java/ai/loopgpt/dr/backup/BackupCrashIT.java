package ai.loopgpt.dr.backup;

import static ai.loopgpt.dr.backup.BackupTesting.openUploads;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The packaged backup-service killed (SIGKILL) right after a backup started its multipart upload and
 * before it recorded the upload's id: after a restart the backup is FAILED and the orphan upload is
 * aborted, so no parts are left to pay for. Killed at the later steps, the backup is settled from the
 * bucket's truth, and a dump left on the local disk is deleted.
 */
class BackupCrashIT {

    @Test
    void aBackupKilledRightAfterItsUploadStartedLeavesNoUploadBehind() throws Exception {
        Map<String, String> env = environment();
        String prefix = "backups/loopgpt/";
        String id = killedAt("backup.upload-started", MANUAL, env);
        try (S3Client s3 = BackupTesting.s3()) {
            assertEquals(1, openUploads(s3, prefix).size(), "the killed backup left its upload open");
        }

        try (ServiceProcess service = ServiceProcess.start("backup-service", env)) {
            JsonPath failed = JobPolling.awaitPhase(service.url() + "/api/v1/backups/" + id, Tokens.viewer(),
                    List.of("FAILED"), Duration.ofSeconds(30), Duration.ofMillis(300));
            assertTrue(failed.getString("failureReason").startsWith("Interrupted"), failed.prettify());
            try (S3Client s3 = BackupTesting.s3()) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> openUploads(s3, prefix).isEmpty());
            }
            assertTrue(service.output().contains("Aborted an orphan multipart upload"), "the sweep says what it did");
            assertNull(failed.get("objectKey"));

            // The target is free: the next backup runs and succeeds.
            String next = given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body(MANUAL).when().post("/api/v1/backups")
                    .then().statusCode(202).extract().path("id");
            JsonPath done = JobPolling.awaitPhase(service.url() + "/api/v1/backups/" + next, Tokens.viewer(),
                    JobPolling.ENDED, Duration.ofMinutes(1), Duration.ofMillis(300));
            assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        }
    }

    /**
     * Killed after the upload completed and before the manifest: the complete object is deleted
     * (nothing vouches for it) and the record says so. Killed after the manifest and before the
     * record: the backup is SUCCEEDED from the bucket's manifest, said as recovered, and restorable.
     */
    @Test
    void aBackupKilledAfterItsUploadOrItsManifestIsSettledFromTheBucketsTruth() throws Exception {
        Map<String, String> env = environment();
        JsonPath deleted = settledAfterAKillAt("backup.uploaded", env);
        assertEquals("FAILED", deleted.getString("phase"), deleted.prettify());
        assertTrue(deleted.getString("failureReason").contains("before its manifest was written"), deleted.prettify());
        assertTrue(deleted.getString("settledNote").contains("was deleted from the bucket"), deleted.prettify());

        JsonPath recovered = settledAfterAKillAt("backup.manifest-written", env);
        assertEquals("SUCCEEDED", recovered.getString("phase"), recovered.prettify());
        assertTrue(recovered.getString("settledNote").startsWith("Recovered after a crash"), recovered.prettify());
        assertNull(recovered.get("failureReason"));
        try (S3Client s3 = BackupTesting.s3()) {
            long size = s3.headObject(b -> b.bucket(S3Resource.BUCKET).key(recovered.getString("objectKey"))).contentLength();
            assertEquals(recovered.getLong("sizeBytes"), size, "the object the catalog names, whole");
            assertTrue(s3.headObject(b -> b.bucket(S3Resource.BUCKET).key(recovered.getString("manifestKey"))) != null);
        }
    }

    /**
     * Killed with a directory dump written and not yet uploaded: the dump stays on the local disk (in
     * Kubernetes an emptyDir that outlives the container) until the service starts again, which
     * deletes it before it takes any job; the backup is FAILED as interrupted.
     */
    @Test
    void aDirectoryDumpLeftOnDiskByAKilledBackupIsDeletedAtTheNextStart() throws Exception {
        Map<String, String> env = environment();
        String id = killedAt("backup.dumped-to-directory",
                "{\"target\":\"loopgpt\",\"kind\":\"manual\",\"format\":\"directory\",\"jobs\":2}", env);
        Path dump;
        // The services the tests start share this JVM's temporary directory.
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("java.io.tmpdir")), 2)) {
            dump = files.filter(f -> f.getFileName().toString().startsWith("backup-" + id)).findFirst()
                    .orElseThrow(() -> new AssertionError("the killed backup's directory dump is not on disk"));
        }
        assertTrue(Files.isRegularFile(dump.resolve("toc.dat")), "the dump's table of contents, written before the kill");

        try (ServiceProcess service = ServiceProcess.start("backup-service", env)) {
            assertFalse(Files.exists(dump.getParent()), "the killed process's scratch space, deleted as the service started");
            // By this process, or by another backup-service process of a test beside this one, in the same directory.
            assertTrue(logsSay("Deleted " + dump.getParent() + ", left by a backup-service process that ended before it could"),
                    "a service's log says what was deleted");
            JsonPath failed = JobPolling.awaitPhase(service.url() + "/api/v1/backups/" + id, Tokens.viewer(),
                    List.of("FAILED"), Duration.ofSeconds(30), Duration.ofMillis(300));
            assertTrue(failed.getString("failureReason").startsWith("Interrupted"), failed.prettify());
        }
    }

    private static final String MANUAL = "{\"target\":\"loopgpt\",\"kind\":\"manual\"}";

    /** The packaged service's environment, its orphan reaper quick. */
    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(
                BackupServiceResource.environment(PostgresResource.server(), S3Resource.server()));
        env.put("BACKUP_REAPER_EVERY", "2s");
        env.put("BACKUP_REAPER_DELAY", "1s");
        return env;
    }

    /** Starts the service with {@code failpoint} on, asks for the backup {@code request}, kills it there; the backup's id. */
    private static String killedAt(String failpoint, String request, Map<String, String> env) throws Exception {
        Map<String, String> crashing = new HashMap<>(env);
        crashing.put("QUARKUS_PROFILE", "prod,failpoints");
        crashing.put("DR_FAILPOINTS", failpoint);
        try (ServiceProcess service = ServiceProcess.start("backup-service", crashing)) {
            String id = given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body(request).when().post("/api/v1/backups").then().statusCode(202).extract().path("id");
            service.awaitLog("FAILPOINT " + failpoint + " reached", Duration.ofMinutes(2));
            service.kill();
            return id;
        }
    }

    /** Starts a backup with {@code failpoint} on, kills the service there, restarts it; the backup as settled. */
    private static JsonPath settledAfterAKillAt(String failpoint, Map<String, String> env) throws Exception {
        List<String> before = keys();
        String id = killedAt(failpoint, MANUAL, env);
        try (ServiceProcess service = ServiceProcess.start("backup-service", env)) {
            JsonPath settled = JobPolling.awaitPhase(service.url() + "/api/v1/backups/" + id, Tokens.viewer(),
                    JobPolling.ENDED, Duration.ofSeconds(60), Duration.ofMillis(300));
            if ("FAILED".equals(settled.getString("phase"))) {
                // Nothing of the killed backup is left in the bucket: its complete object was deleted.
                assertEquals(before, keys(), "the bucket as before the killed backup");
            }
            return settled;
        }
    }

    /** Whether the log of any service the tests started in this module says {@code text}. */
    private static boolean logsSay(String text) throws java.io.IOException {
        try (Stream<Path> logs = Files.walk(Path.of("target"), 2)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                if (new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> keys() {
        try (S3Client s3 = BackupTesting.s3()) {
            return s3.listObjectsV2(b -> b.bucket(S3Resource.BUCKET).prefix("backups/loopgpt/")).contents().stream()
                    .map(o -> o.key()).sorted().toList();
        }
    }
}
