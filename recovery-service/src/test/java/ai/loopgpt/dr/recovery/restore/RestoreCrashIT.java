package ai.loopgpt.dr.recovery.restore;

import static ai.loopgpt.dr.recovery.restore.RestoreResourceTest.counts;
import static ai.loopgpt.dr.recovery.restore.RestoreResourceTest.databases;
import static ai.loopgpt.dr.recovery.restore.RestoreResourceTest.manifestRows;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged recovery-service killed (SIGKILL) at each step of an in-place restore, then started
 * again: the destination always holds a complete database (its original data or the backup's), the
 * restore says which, and neither a staging database nor the killed process's scratch space is left
 * ({@link RestoreReplicaCrashIT}: drills, restores to a time and replicas).
 */
class RestoreCrashIT {

    private static final String DESTINATION = "vault";

    /** Each step of an in-place restore, and whether a crash there leaves the backup in place. */
    private static final Map<String, Boolean> STEPS = new java.util.LinkedHashMap<>(Map.of());

    static {
        STEPS.put("restore.safety-backup", false);
        STEPS.put("restore.restoring", false);
        // Inside the load of the plain dump: psql sessions copying rows, then building indexes.
        STEPS.put("restore.load.data", false);
        STEPS.put("restore.load.indexes", false);
        STEPS.put("restore.verifying", false);
        STEPS.put("restore.swap.before-commit", false);
        STEPS.put("restore.swap.after-commit", true);
    }

    @Test
    void killedAtEachStepTheDestinationHoldsEitherItsOriginalDataOrTheBackup() throws Exception {
        JsonPath plain = RestoreResourceTest.backupOf("loopgpt", "");
        // A directory archive loads as it streams in, through the same steps of the load.
        JsonPath archive = RestoreResourceTest.backupOf("loopgpt", ",\"format\":\"directory\",\"jobs\":2");
        List<Map.Entry<JsonPath, Map.Entry<String, Boolean>>> kills = new java.util.ArrayList<>();
        STEPS.entrySet().forEach(step -> kills.add(Map.entry(plain, step)));
        for (String step : List.of("restore.load.data", "restore.load.indexes")) {
            kills.add(Map.entry(archive, Map.entry(step, false)));
        }
        // The process that settles one killed restore at its start-up is the one the next restore is
        // killed in (its failpoint is only reached by a new restore): one start per step, not two.
        ServiceProcess crashing = RecoveryProcesses.start(kills.get(0).getValue().getKey());
        try {
            for (int i = 0; i < kills.size(); i++) {
                JsonPath backup = kills.get(i).getKey();
                Map.Entry<String, Boolean> step = kills.get(i).getValue();
                Map<String, Long> fromBackup = manifestRows(backup);
                awaitNoBackupRunning(DESTINATION);
                // One row fewer than the backup in a leaf table: the destination's data differs from the backup's.
                deleteOneOrderItem(DESTINATION);
                Map<String, Long> original = counts(DESTINATION, fromBackup.keySet());
                String id;
                long killedPid = crashing.pid();
                try (ServiceProcess killed = crashing) {
                    id = given().baseUri(killed.url()).auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                            .body("{\"backupId\":\"" + backup.getString("id") + "\",\"destination\":\"" + DESTINATION
                                    + "\",\"mode\":\"in-place\",\"confirm\":\"" + DESTINATION + "\"}")
                            .when().post("/api/v1/restores").then().statusCode(202).extract().path("id");
                    killed.awaitLog("FAILPOINT " + step.getKey() + " reached", Duration.ofMinutes(3));
                    killed.kill();
                }
                crashing = RecoveryProcesses.start(i + 1 < kills.size() ? kills.get(i + 1).getValue().getKey() : null);
                // The killed process's scratch space (where an archive is downloaded) went as the new one started.
                assertEquals(List.of(), scratchDirectories(killedPid), "scratch space left by the crash at " + step.getKey());
                JsonPath done = awaitEnd(crashing, id);
                Map<String, Long> now = counts(DESTINATION, fromBackup.keySet());
                String where = "killed at " + step.getKey() + ": " + done.prettify();
                if (step.getValue()) {
                    assertEquals("SUCCEEDED", done.getString("phase"), where);
                    assertEquals(fromBackup, now, where);
                    assertEquals(DESTINATION, done.getString("restoredDatabase"), where);
                    assertEquals(original, counts(done.getString("replacedDatabase"), fromBackup.keySet()), where);
                } else {
                    assertEquals("FAILED", done.getString("phase"), where);
                    assertEquals(original, now, where);
                    assertTrue(done.getString("failureReason").startsWith("Interrupted"), where);
                    assertTrue(done.getString("failureReason").contains("original data"), where);
                    assertNull(done.get("replacedDatabase"), where);
                }
                assertTrue(databases().stream().noneMatch(name -> name.startsWith(DESTINATION + "_restore_")),
                        "no staging database left after a crash at " + step.getKey() + ": " + databases());
            }
        } finally {
            crashing.close();
        }
    }

    /** The scratch directories of the recovery-service process {@code pid} in the temporary directory the services share with this JVM. */
    private static List<Path> scratchDirectories(long pid) throws java.io.IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> Files.isDirectory(f)
                    && f.getFileName().toString().startsWith("recovery-service-scratch-" + pid + "-")).toList();
        }
    }

    static JsonPath get(ServiceProcess service, String id) {
        return given().baseUri(service.url()).auth().oauth2(Tokens.viewer()).when().get("/api/v1/restores/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitEnd(ServiceProcess service, String id) {
        return JobPolling.awaitPhase(service.url() + "/api/v1/restores/" + id, Tokens.viewer(), JobPolling.ENDED,
                Duration.ofMinutes(2), Duration.ofMillis(200));
    }

    private static void awaitNoBackupRunning(String target) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() ->
                List.of("PENDING", "RUNNING").stream().allMatch(phase -> given().baseUri(BackupServiceResource.url())
                        .auth().oauth2(Tokens.viewer()).queryParam("target", target).queryParam("status", phase)
                        .when().get("/api/v1/backups").then().statusCode(200).extract().jsonPath().getInt("total") == 0));
    }

    private static void deleteOneOrderItem(String database) throws Exception {
        try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement()) {
            assertNotNull(c);
            s.execute("DELETE FROM public.order_items WHERE ctid = (SELECT ctid FROM public.order_items LIMIT 1)");
        }
    }
}
