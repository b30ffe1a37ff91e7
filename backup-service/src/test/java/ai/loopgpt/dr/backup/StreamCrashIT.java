package ai.loopgpt.dr.backup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;
import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.SampleDatabase;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The packaged backup-service killed (SIGKILL) at each step of a streamed target's life: during its
 * base backup, after a segment's upload and before its manifest, after the manifest and before the
 * chain's record and the slot's confirmation. After each restart the stream goes on, and a restore to
 * a time after the kills (the plan's script by hand, with the stock aws, gunzip and psql) gives the
 * target's rows as they were then: every transaction committed before that time exactly once.
 */
class StreamCrashIT {

    static final String PASSWORD = UUID.randomUUID().toString();
    static final String DATABASE = "loopgpt_crash_stream";

    @Test
    void killedAtEachStepTheStreamLosesNothingAndRepeatsNothing() throws Exception {
        EmbeddedPostgres pg = PostgresResource.server();
        pg.ensureDatabase(DATABASE, "crash_streamer", PASSWORD);
        try (Connection c = target(); Connection admin = pg.connect(DATABASE); Statement s = admin.createStatement()) {
            SampleDatabase.populate(c, 30);
            s.execute("ALTER ROLE crash_streamer REPLICATION");
            s.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
        }
        Map<String, String> env = new HashMap<>(BackupServiceResource.environment(pg, S3Resource.server()));
        env.put("BACKUP_TARGETS__STREAMED__HOST", pg.host());
        env.put("BACKUP_TARGETS__STREAMED__PORT", Integer.toString(pg.port()));
        env.put("BACKUP_TARGETS__STREAMED__DATABASE", DATABASE);
        env.put("BACKUP_TARGETS__STREAMED__USER", "crash_streamer");
        env.put("BACKUP_TARGETS__STREAMED__PASSWORD", PASSWORD);
        env.put("BACKUP_TARGETS__STREAMED__STREAM", "true");
        env.put("BACKUP_STREAM_SEGMENT_SECONDS", "1");
        env.put("BACKUP_STREAM_CHECK_EVERY", "1s");
        env.put("BACKUP_REAPER_EVERY", "2s");
        env.put("BACKUP_REAPER_DELAY", "1s");

        // 1. Killed during the base backup: the slot it created is dropped, the chain FAILED.
        String killedBase;
        try (ServiceProcess service = ServiceProcess.start("backup-service", failpoint(env, "backup.upload-started"))) {
            killedBase = backup(service);
            service.awaitLog("FAILPOINT backup.upload-started reached", Duration.ofMinutes(2));
            assertEquals(List.of("dr_streamed_" + killedBase.substring(0, 8)), slots("streamed"));
            service.kill();
        }

        // 2. Restarted: the killed base is settled and its slot dropped; a new base streams, and the
        //    service is killed after a segment's upload, before its manifest.
        String base;
        try (ServiceProcess service = ServiceProcess.start("backup-service", failpoint(env, "stream.segment-uploaded"))) {
            Awaitility.await("the killed base's slot dropped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> slots("streamed").isEmpty());
            assertEquals("FAILED", get(service, "/api/v1/backups/" + killedBase).getString("phase"));
            base = backup(service);
            JobPolling.awaitPhase(service.url() + "/api/v1/backups/" + base, Tokens.viewer(), List.of("SUCCEEDED"),
                    Duration.ofSeconds(60), Duration.ofMillis(300));
            write(1);
            service.awaitLog("FAILPOINT stream.segment-uploaded reached", Duration.ofMinutes(1));
            service.kill();
        }
        String prefix = "backups/streamed/stream/" + base + "/";
        assertEquals(List.of(), manifests(prefix), "killed before any manifest");
        assertEquals(1, keys(prefix).size(), "the segment uploaded without its manifest");

        // 3. Killed after the manifest, before the chain's record and the slot's confirmation.
        try (ServiceProcess service = ServiceProcess.start("backup-service", failpoint(env, "stream.segment-recorded"))) {
            write(2);
            service.awaitLog("FAILPOINT stream.segment-recorded reached", Duration.ofMinutes(1));
            assertTrue(service.output().contains("which has no manifest"), "the segment without its manifest is deleted");
            service.kill();
        }
        assertEquals(1, manifests(prefix).size(), "one segment stored in full");

        // 4. Restarted without failpoints: the stream resumes after the stored segment.
        try (ServiceProcess service = ServiceProcess.start("backup-service", env)) {
            write(3);
            write(4);
            java.util.Map<String, List<String>> then = new java.util.LinkedHashMap<>();
            for (String table : SampleDatabase.TABLES) {
                then.put(table, StreamTest.rows(DATABASE, table));
            }
            java.time.Instant moment = now();
            long before = write(5);
            Awaitility.await("batch 5 in the bucket").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> manifests(prefix).stream().anyMatch(m -> ChangeSegmentFormat.parseLsn(m.getString("endLsn")) > before));
            assertEquals(2 * manifests(prefix).size(), keys(prefix).size(), "every segment with its manifest");

            // Restored to the moment before batch 5 by hand, with the plan's own script and the stock
            // aws, gunzip and psql: every batch committed before it exactly once, none after.
            String script = get(service, "/api/v1/targets/streamed/stream/plan?toTime=" + moment).getString("script");
            String copy = BackupTesting.emptyDatabase();
            byHand(script.replace("--dbname DB", "--dbname " + copy).replace("-d DB", "-d " + copy));
            for (String table : SampleDatabase.TABLES) {
                assertEquals(then.get(table), StreamTest.rows(copy, table), table + " as it was at " + moment);
            }
            assertEquals(List.of(1L, 1L, 1L, 1L, 0L), batches(copy), "each batch before the moment once, none after");
        }
    }

    /** Runs {@code script} with bash, the stock aws pointed at the test S3, psql at the test server. */
    static void byHand(String script) throws Exception {
        ProcessBuilder bash = new ProcessBuilder("bash", "-e", "-c", script).redirectErrorStream(true);
        Map<String, String> env = bash.environment();
        env.put("AWS_ACCESS_KEY_ID", S3Resource.server().accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", S3Resource.server().secretKey());
        env.put("AWS_DEFAULT_REGION", ai.loopgpt.dr.embedded.EmbeddedS3.REGION);
        env.put("AWS_ENDPOINT_URL", S3Resource.server().endpoint());
        env.put("PGHOST", PostgresResource.server().host());
        env.put("PGPORT", Integer.toString(PostgresResource.server().port()));
        env.put("PGUSER", EmbeddedPostgres.SUPERUSER);
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), script + "\n" + output);
    }

    /** The target server's clock now: what is committed after it belongs to the next batch. */
    static java.time.Instant now() throws Exception {
        try (Connection c = target(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    /**
     * A slot nobody reads (its streamer held at a failpoint, as a stuck or stopped one would be) while
     * the target keeps writing: past the warning an alert, past the limit the slot dropped, the chain
     * closed and the backups plain dumps, each said once; an admin turns streaming on again.
     */
    @Test
    void aSlotKeepingTooMuchWalIsDroppedAndTheBackupsFallBackToDumps() throws Exception {
        EmbeddedPostgres pg = PostgresResource.server();
        pg.ensureDatabase("loopgpt_guarded", "guard_streamer", PASSWORD);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("loopgpt_guarded"), "guard_streamer", PASSWORD);
                Statement s = c.createStatement(); Connection admin = pg.connect("loopgpt_guarded");
                Statement a = admin.createStatement()) {
            s.execute("CREATE TABLE filler (id bigserial PRIMARY KEY, pad text NOT NULL)");
            a.execute("ALTER ROLE guard_streamer REPLICATION");
            a.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
        }
        Map<String, String> env = new HashMap<>(BackupServiceResource.environment(pg, S3Resource.server()));
        env.put("BACKUP_TARGETS__GUARDED__HOST", pg.host());
        env.put("BACKUP_TARGETS__GUARDED__PORT", Integer.toString(pg.port()));
        env.put("BACKUP_TARGETS__GUARDED__DATABASE", "loopgpt_guarded");
        env.put("BACKUP_TARGETS__GUARDED__USER", "guard_streamer");
        env.put("BACKUP_TARGETS__GUARDED__PASSWORD", PASSWORD);
        env.put("BACKUP_TARGETS__GUARDED__STREAM", "true");
        env.put("BACKUP_STREAM_CHECK_EVERY", "1s");
        env.put("BACKUP_STREAM_RETAINED_WAL_WARNING_MIB", "2");
        env.put("BACKUP_STREAM_RETAINED_WAL_LIMIT_MIB", "24");
        env.put("BACKUP_ALERTS_EVERY", "1s");
        env.put("BACKUP_ALERTS_DELAY", "1s");
        try (ServiceProcess service = ServiceProcess.start("backup-service", failpoint(env, "stream.reading"))) {
            String base = given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"target\":\"guarded\",\"kind\":\"manual\"}").when().post("/api/v1/backups")
                    .then().statusCode(202).extract().path("id");
            service.awaitLog("FAILPOINT stream.reading reached", Duration.ofMinutes(1));
            String slot = "dr_guarded_" + base.substring(0, 8);

            fill(6); // past the warning
            Awaitility.await("the WAL warning").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> openProblems(service).contains("stream-wal-warning"));
            assertTrue(slots("guarded").contains(slot), "kept below the limit");

            fill(30); // past the limit
            JsonPath stream = JobPolling.await(service.url() + "/api/v1/targets/guarded/stream", Tokens.viewer(),
                    json -> json.hasNonNull("stoppedAt"),
                    Duration.ofSeconds(60), Duration.ofMillis(300));
            assertTrue(stream.getString("stoppedReason").contains("more than backup.stream.retained-wal-limit-mib"),
                    stream.prettify());
            assertEquals(false, stream.getBoolean("streamed"));
            assertEquals("CLOSED", stream.getString("chains[0].phase"));
            assertTrue(stream.getString("chains[0].endReason").startsWith("wal-limit"), stream.prettify());
            Awaitility.await("the slot dropped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> !slots("guarded").contains(slot));
            Awaitility.await("the stopped stream alerted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> openProblems(service).contains("stream-stopped") && !openProblems(service).contains("stream-wal-warning"));

            // The backups fall back to plain dumps: no new slot.
            String dump = given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"target\":\"guarded\",\"kind\":\"manual\"}").when().post("/api/v1/backups")
                    .then().statusCode(202).extract().path("id");
            JobPolling.awaitPhase(service.url() + "/api/v1/backups/" + dump, Tokens.viewer(), List.of("SUCCEEDED"),
                    Duration.ofSeconds(60), Duration.ofMillis(300));
            assertEquals(List.of(), slots("guarded"));

            // Each problem alerted once.
            JsonPath alerts = get(service, "/api/v1/alerts?size=500");
            assertEquals(1, alerts.getList("items.findAll { it.target == 'guarded' && it.problem == 'stream-wal-warning' }")
                    .size(), alerts.prettify());
            assertEquals(1, alerts.getList("items.findAll { it.target == 'guarded' && it.problem == 'stream-stopped' }")
                    .size(), alerts.prettify());

            // An admin turns streaming on again: the next backup starts a chain, the alert closes.
            given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"enabled\":true}").when().post("/api/v1/targets/guarded/stream").then().statusCode(403);
            given().baseUri(service.url()).auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                    .body("{\"enabled\":true}").when().post("/api/v1/targets/guarded/stream").then().statusCode(200)
                    .body("streamed", org.hamcrest.Matchers.equalTo(true));
            String again = given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"target\":\"guarded\",\"kind\":\"manual\"}").when().post("/api/v1/backups")
                    .then().statusCode(202).extract().path("id");
            Awaitility.await("a new chain").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> slots("guarded").contains("dr_guarded_" + again.substring(0, 8)));
            Awaitility.await("the alert closed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> !openProblems(service).contains("stream-stopped"));
        }
    }

    /** About {@code mib} MiB of WAL on the guarded target. */
    static void fill(int mib) throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresResource.server().jdbcUrl("loopgpt_guarded"), "guard_streamer",
                PASSWORD); Statement s = c.createStatement()) {
            s.execute("INSERT INTO filler (pad) SELECT repeat(md5(i::text), 32) FROM generate_series(1, " + mib * 1024 + ") i");
        }
    }

    static List<String> openProblems(ServiceProcess service) {
        return get(service, "/api/v1/alerts?open=true&size=500").getList("items.findAll { it.target == 'guarded' }.problem",
                String.class);
    }


    static Map<String, String> failpoint(Map<String, String> env, String failpoint) {
        Map<String, String> crashing = new HashMap<>(env);
        crashing.put("QUARKUS_PROFILE", "prod,failpoints");
        crashing.put("DR_FAILPOINTS", failpoint);
        return crashing;
    }

    static String backup(ServiceProcess service) {
        return given().baseUri(service.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"target\":\"streamed\",\"kind\":\"manual\"}").when().post("/api/v1/backups")
                .then().statusCode(202).extract().path("id");
    }

    /** A batch of three transactions marked {@code batch}; returns the WAL position before its last one. */
    static long write(int batch) throws Exception {
        try (Connection c = target(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (email, full_name, country, plan, created_at) VALUES ('batch" + batch
                    + "@example.com', 'Batch " + batch + "', 'DE', 'free', now())");
            s.execute("UPDATE orders SET status = 'batch " + batch + "' WHERE id % 7 = " + batch);
            long before;
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                before = rs.getLong(1);
            }
            s.execute("DELETE FROM provider_events WHERE id % 11 = " + batch);
            return before;
        }
    }

    static List<Long> batches(String database) throws Exception {
        List<Long> counts = new ArrayList<>();
        try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement()) {
            for (int batch = 1; batch <= 5; batch++) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM users WHERE email = 'batch" + batch + "@example.com'")) {
                    rs.next();
                    counts.add(rs.getLong(1));
                }
            }
        }
        return counts;
    }

    static Connection target() throws Exception {
        return DriverManager.getConnection(PostgresResource.server().jdbcUrl(DATABASE), "crash_streamer", PASSWORD);
    }

    /** The replication slots of {@code target}'s chains on the test server. */
    static List<String> slots(String target) throws Exception {
        List<String> slots = new ArrayList<>();
        try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'dr_" + target
                        + "_%' ORDER BY 1")) {
            while (rs.next()) {
                slots.add(rs.getString(1));
            }
        }
        return slots;
    }

    static List<String> keys(String prefix) {
        try (S3Client s3 = BackupTesting.s3()) {
            return BackupTesting.keysUnder(s3, prefix);
        }
    }

    static List<JsonPath> manifests(String prefix) {
        try (S3Client s3 = BackupTesting.s3()) {
            return StreamTest.manifests(s3, prefix);
        }
    }

    static JsonPath get(ServiceProcess service, String path) {
        return given().baseUri(service.url()).auth().oauth2(Tokens.viewer()).when().get(path).then().statusCode(200)
                .extract().jsonPath();
    }
}
