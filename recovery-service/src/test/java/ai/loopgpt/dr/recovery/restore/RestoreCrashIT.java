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
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged recovery-service killed (SIGKILL) at each step of an in-place restore, then started
 * again: the destination always holds a complete database (its original data or the backup's), the
 * restore says which, and no staging database is left. And a replica restarting never touches the
 * restore another live replica is running.
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
                try (ServiceProcess killed = crashing) {
                    id = given().baseUri(killed.url()).auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                            .body("{\"backupId\":\"" + backup.getString("id") + "\",\"destination\":\"" + DESTINATION
                                    + "\",\"mode\":\"in-place\",\"confirm\":\"" + DESTINATION + "\"}")
                            .when().post("/api/v1/restores").then().statusCode(202).extract().path("id");
                    killed.awaitLog("FAILPOINT " + step.getKey() + " reached", Duration.ofMinutes(3));
                    killed.kill();
                }
                crashing = RecoveryProcesses.start(i + 1 < kills.size() ? kills.get(i + 1).getValue().getKey() : null);
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

    /**
     * A drill killed mid-load, then a restore to a time killed while it replays the change segments (a
     * segment's changes committed in its staging database)
     * (the process that settles the drill is the one the second restore is killed in): each ends FAILED
     * with its copy dropped; a restore to the same time afterwards holds every transaction committed
     * until then, exactly once.
     */
    @Test
    void aDrillKilledMidLoadAndARestoreToATimeKilledMidReplayEndFailedWithTheirCopiesDropped() throws Exception {
        JsonPath backup = RestoreResourceTest.backupOf("loopgpt", "");
        String id;
        try (ServiceProcess crashing = RecoveryProcesses.start("restore.load.data")) {
            id = given().baseUri(crashing.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"backupId\":\"" + backup.getString("id") + "\",\"destination\":\"drills\",\"mode\":\"drill\"}")
                    .when().post("/api/v1/restores").then().statusCode(202).extract().path("id");
            crashing.awaitLog("FAILPOINT restore.load.data reached", Duration.ofMinutes(3));
            crashing.kill();
        }
        // A streamed target's base, then changes after it, up to a moment recorded, then more.
        RestoreResourceTest.backupOf(RestoreToTimeTest.TARGET, "");
        RestoreToTimeTest.write(1);
        RestoreToTimeTest.write(2);
        Map<String, List<String>> then = RestoreToTimeTest.rows(RestoreToTimeTest.TARGET);
        java.time.Instant moment = RestoreToTimeTest.now();
        RestoreToTimeTest.write(3);
        RestoreToTimeTest.awaitStreamedPast(moment);
        String toTime = "{\"target\":\"" + RestoreToTimeTest.TARGET + "\",\"toTime\":\"" + moment
                + "\",\"destination\":\"scratch\"}";
        String replaying;
        try (ServiceProcess restarted = RecoveryProcesses.start("restore.replayed-segment")) {
            JsonPath done = awaitEnd(restarted, id);
            assertEquals("FAILED", done.getString("phase"), done.prettify());
            assertTrue(done.getString("failureReason").startsWith("Interrupted"), done.prettify());
            assertTrue(done.get("scratchDroppedAt") != null, "the record says the scratch copy is gone: " + done.prettify());
            assertTrue(databases().stream().noneMatch(name -> name.startsWith("drills_scratch")),
                    "no scratch copy left: " + databases());

            replaying = given().baseUri(restarted.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body(toTime).when().post("/api/v1/restores").then().statusCode(202).extract().path("id");
            restarted.awaitLog("FAILPOINT restore.replayed-segment reached", Duration.ofMinutes(3));
            restarted.kill();
        }
        try (ServiceProcess again = RecoveryProcesses.start(null)) {
            JsonPath killed = awaitEnd(again, replaying);
            assertEquals("FAILED", killed.getString("phase"), killed.prettify());
            assertTrue(killed.getString("failureReason").startsWith("Interrupted"), killed.prettify());
            assertTrue(databases().stream().noneMatch(name -> name.startsWith("scratch_restore_")), databases().toString());

            String retried = given().baseUri(again.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body(toTime).when().post("/api/v1/restores").then().statusCode(202).extract().path("id");
            JsonPath done = awaitEnd(again, retried);
            assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
            assertEquals(then, RestoreToTimeTest.rows(done.getString("restoredDatabase")), "every change until "
                    + moment + " exactly once");
            // The result is a new database beside the destination: dropped, as the other tests expect none left.
            try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE \"" + done.getString("restoredDatabase") + "\"");
            }
        }
    }

    @Test
    void aReplicaRestartingLeavesAnotherReplicasRestoreAloneAndAnOwnerlessOneIsSettledWithinAReaperRound()
            throws Exception {
        JsonPath backup = RestoreResourceTest.backupOf("loopgpt", "");
        try (ServiceProcess running = RecoveryProcesses.start("restore.restoring");
                ServiceProcess other = RecoveryProcesses.start(null)) {
            String id = given().baseUri(running.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"backupId\":\"" + backup.getString("id") + "\",\"destination\":\"scratch\"}")
                    .when().post("/api/v1/restores").then().statusCode(202).extract().path("id");
            running.awaitLog("FAILPOINT restore.restoring reached", Duration.ofMinutes(2));
            String staging = get(other, id).getString("restoredDatabase");
            assertNull(staging, "not restored yet");

            other.kill();
            other.restart();
            // Several reaper rounds of the restarted replica pass.
            Thread.sleep(3 * 2000 + 1000);
            JsonPath stillRunning = get(other, id);
            assertEquals("RUNNING", stillRunning.getString("phase"), stillRunning.prettify());
            assertEquals("restoring", stillRunning.getString("step"));
            assertTrue(databases().stream().anyMatch(name -> name.startsWith("scratch_restore_")),
                    "the running restore's staging database is still there: " + databases());

            running.kill();
            JsonPath settled = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(other, id), json -> "FAILED".equals(json.getString("phase")));
            assertTrue(settled.getString("failureReason").contains("during step 'restoring'"), settled.prettify());
            assertTrue(databases().stream().noneMatch(name -> name.startsWith("scratch_restore_")), databases().toString());
        }
    }

    private static JsonPath get(ServiceProcess service, String id) {
        return given().baseUri(service.url()).auth().oauth2(Tokens.viewer()).when().get("/api/v1/restores/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitEnd(ServiceProcess service, String id) {
        return Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(service, id), json -> List.of("SUCCEEDED", "FAILED").contains(json.getString("phase")));
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
