package ai.loopgpt.dr.recovery.restore;

import static ai.loopgpt.dr.recovery.restore.RestoreCrashIT.awaitEnd;
import static ai.loopgpt.dr.recovery.restore.RestoreCrashIT.get;
import static ai.loopgpt.dr.recovery.restore.RestoreResourceTest.databases;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.JobPolling;
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
import org.junit.jupiter.api.Test;

/**
 * The packaged recovery-service killed (SIGKILL) in a drill, in a restore to a time, and beside another
 * live replica: what each leaves is settled, and a replica restarting never touches the restore another
 * live replica is running. (Apart from {@link RestoreCrashIT}, so that the two run side by side in the
 * module's two test JVMs.)
 */
class RestoreReplicaCrashIT {

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
            JsonPath settled = JobPolling.awaitPhase(other.url() + "/api/v1/restores/" + id, Tokens.viewer(),
                    List.of("FAILED"), Duration.ofSeconds(10), Duration.ofMillis(200));
            assertTrue(settled.getString("failureReason").contains("during step 'restoring'"), settled.prettify());
            assertTrue(databases().stream().noneMatch(name -> name.startsWith("scratch_restore_")), databases().toString());
        }
    }
}
