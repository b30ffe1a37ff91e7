package ai.loopgpt.dr.recovery.restore;

import static ai.loopgpt.dr.recovery.restore.RestoreResourceTest.awaitRestore;
import static ai.loopgpt.dr.recovery.restore.RestoreResourceTest.backupServiceGet;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.embedded.SampleDatabase;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Restores of a streamed target to a time: a write workload runs while the target streams, the
 * tables are recorded at several moments, and a restore to each moment gives exactly those rows; the
 * plan's own commands, run by hand with the stock aws, gunzip and psql, give the same database.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
class RestoreToTimeTest {

    static final String TARGET = BackupServiceResource.STREAMED;

    @Test
    void aRestoreToEachMomentOfAWorkloadGivesTheRowsOfThatMomentAndTheByHandPathTheSame() throws Exception {
        RestoreResourceTest.backupOf(TARGET, "");
        List<Instant> moments = new ArrayList<>();
        List<Map<String, List<String>>> then = new ArrayList<>();
        for (int batch = 1; batch <= 4; batch++) {
            write(batch);
            then.add(rows(TARGET));
            moments.add(now());
            // Moments a segment apart, and two within one segment.
            Thread.sleep(batch == 2 ? 50 : 1500);
        }
        // One more change after the last moment: the stream shows it has everything up to that moment.
        write(5);
        awaitStreamedPast(moments.get(moments.size() - 1));

        String byHand = null;
        for (int i = 0; i < moments.size(); i++) {
            Instant moment = moments.get(i);
            String id = RestoreResourceTest.restore(Tokens.operator(), "{\"target\":\"" + TARGET + "\",\"toTime\":\""
                    + moment + "\",\"destination\":\"scratch\"}");
            JsonPath done = awaitRestore(id);
            assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
            String restored = done.getString("restoredDatabase");
            for (String table : SampleDatabase.TABLES) {
                assertEquals(then.get(i).get(table), rows(restored).get(table), table + " as it was at " + moment);
            }
            // The exact point reached: the last transaction committed at or before the moment.
            Instant reached = Instant.parse(done.getString("toTime.reachedCommitTime"));
            assertFalse(reached.isAfter(moment), done.prettify());
            assertTrue(done.getLong("toTime.transactionsApplied") >= 5L * (i + 1), done.prettify());
            assertNotNull(done.getString("toTime.reachedLsn"), done.prettify());
            assertTrue(done.getMap("phases").containsKey("replay"), done.prettify());
            if (i == 1) {
                byHand = restored;
            }
        }

        // By hand, the plan's own script with the stock tools, into an empty database: the same rows.
        String copy = "by_hand_" + System.nanoTime();
        try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + copy);
        }
        String script = given().baseUri(BackupServiceResource.url()).auth().oauth2(Tokens.viewer())
                .queryParam("toTime", moments.get(1).toString()).when().get("/api/v1/targets/" + TARGET + "/stream/plan")
                .then().statusCode(200).extract().path("script");
        runByHand(script.replace("--dbname DB", "--dbname " + copy).replace("-d DB", "-d " + copy));
        Map<String, List<String>> manual = rows(copy);
        for (String table : SampleDatabase.TABLES) {
            assertEquals(rows(byHand).get(table), manual.get(table), table + ": by hand = by the service");
        }
    }

    @Test
    void aDamagedSegmentFailsTheRestoreBeforeItsChangesCountAndLeavesNothing() throws Exception {
        RestoreResourceTest.backupOf(TARGET, "");
        write(7);
        Instant moment = now();
        write(8);
        awaitStreamedPast(moment);
        JsonPath plan = given().baseUri(BackupServiceResource.url()).auth().oauth2(Tokens.viewer())
                .queryParam("toTime", moment.toString()).when().get("/api/v1/targets/" + TARGET + "/stream/plan")
                .then().statusCode(200).extract().jsonPath();
        String key = plan.getString("segments[0].objectKey");
        try (var s3 = RestoreResourceTest.s3()) {
            // Rewritten by someone else with one statement more (one that would destroy the copy): the bytes differ
            // from what the manifest vouches for, and none of its SQL may run.
            byte[] original = s3.getObjectAsBytes(b -> b.bucket(S3Resource.BUCKET).key(key)).asByteArray();
            byte[] rewritten;
            try (var out = new java.io.ByteArrayOutputStream(); var gzip = new java.util.zip.GZIPOutputStream(out)) {
                gzip.write(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(original)).readAllBytes());
                gzip.write("DROP TABLE users CASCADE;\n".getBytes());
                gzip.finish();
                rewritten = out.toByteArray();
            }
            s3.putObject(b -> b.bucket(S3Resource.BUCKET).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(rewritten));
        }
        JsonPath failed = awaitRestore(RestoreResourceTest.restore(Tokens.operator(), "{\"target\":\"" + TARGET
                + "\",\"toTime\":\"" + moment + "\",\"destination\":\"scratch\"}"));
        assertEquals("FAILED", failed.getString("phase"), failed.prettify());
        assertTrue(failed.getString("failureReason").startsWith("Checksum mismatch: the change segment"), failed.prettify());
        assertTrue(RestoreResourceTest.databases().stream().noneMatch(d -> d.startsWith("scratch_restore_")
                && d.endsWith(failed.getString("id").substring(0, 8))), "its staging database dropped");
    }

    @Test
    void whatCannotBeRestoredToATimeIsRefusedSayingWhy() {
        RestoreResourceTest.backupOf(TARGET, "");
        // Before the oldest base, or after the last change streamed: the window that exists is named.
        problem("{\"target\":\"" + TARGET + "\",\"toTime\":\"2020-01-01T00:00:00Z\",\"destination\":\"scratch\"}", 422,
                "The stream covers");
        problem("{\"target\":\"" + TARGET + "\",\"toTime\":\"" + Instant.now().plusSeconds(3600)
                + "\",\"destination\":\"scratch\"}", 422, "after the last change streamed");
        // A target that is not streamed.
        problem("{\"target\":\"vault\",\"toTime\":\"" + Instant.now() + "\",\"destination\":\"scratch\"}", 409,
                "backup.targets.vault.stream=true");
        // A time and a backup at once.
        problem("{\"target\":\"" + TARGET + "\",\"toTime\":\"" + Instant.now() + "\",\"latest\":true,"
                + "\"destination\":\"scratch\"}", 400, "toTime");
        problem("{\"target\":\"nowhere\",\"toTime\":\"" + Instant.now() + "\",\"destination\":\"scratch\"}", 400,
                "no target 'nowhere'");
    }

    private static void problem(String body, int status, String detail) {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/restores").then().statusCode(status).contentType("application/problem+json")
                .body("detail", containsString(detail));
    }

    /**
     * Batch {@code n} of the workload: a transaction spanning three tables, updates, deletes, a JSON
     * change, a truncate (batch 2) and inserts after it, each its own transaction.
     */
    static void write(int n) throws Exception {
        try (Connection c = PostgresResource.server().connect(TARGET); Statement s = c.createStatement()) {
            s.execute("BEGIN; INSERT INTO users (email, full_name, country, plan, created_at) VALUES ('batch" + n
                    + "@example.com', E'Batch " + n + " O''Hara\\nline two', 'IE', 'pro', now()); "
                    + "INSERT INTO orders (user_id, provider, status, total_cents, delivery_addr, created_at) SELECT id, "
                    + "'shipt', 'placed', " + (1000 + n) + ", 'Main St " + n + "', now() FROM users WHERE email = 'batch" + n
                    + "@example.com'; INSERT INTO order_items (order_id, food_item_id, quantity, unit_price_cents) SELECT "
                    + "max(id), 1, " + n + ", 250 FROM orders; COMMIT");
            s.execute("UPDATE orders SET status = 'delivered', total_cents = total_cents + " + n + " WHERE id % "
                    + (n + 2) + " = 0");
            s.execute("DELETE FROM order_items WHERE id % " + (7 + n) + " = 0");
            s.execute("UPDATE food_items SET nutrition = nutrition || '{\"batch\": " + n + "}', price_cents = price_cents + "
                    + n + " WHERE id <= 3");
            if (n == 2) {
                s.execute("TRUNCATE provider_events");
            }
            s.execute("INSERT INTO provider_events (provider, order_id, event_type, payload, received_at) SELECT "
                    + "'instacart', max(id), 'order.accepted', '{\"batch\": " + n + "}', now() FROM orders");
        }
    }

    /** Until backup-service can plan a restore to {@code moment}: the stream has a change after it. */
    static void awaitStreamedPast(Instant moment) {
        Awaitility.await("the stream past " + moment).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().baseUri(BackupServiceResource.url()).auth().oauth2(Tokens.viewer())
                        .queryParam("toTime", moment.toString()).when().get("/api/v1/targets/" + TARGET + "/stream/plan")
                        .then().extract().statusCode() == 200);
    }

    /** The database server's clock now: commits after it belong to the next batch. */
    static Instant now() throws Exception {
        try (Connection c = PostgresResource.server().connect(TARGET); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** Every row of every sample table, as text, in key order. */
    static Map<String, List<String>> rows(String database) throws Exception {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement()) {
            for (String table : SampleDatabase.TABLES) {
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY id")) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                rows.put(table, lines);
            }
        }
        return rows;
    }

    /** Runs {@code script} with bash, the stock aws pointed at the test S3 and psql at the test server. */
    static void runByHand(String script) throws Exception {
        EmbeddedS3 s3 = S3Resource.server();
        EmbeddedPostgres pg = PostgresResource.server();
        ProcessBuilder bash = new ProcessBuilder("bash", "-e", "-c", script).redirectErrorStream(true);
        Map<String, String> env = bash.environment();
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        env.put("AWS_DEFAULT_REGION", EmbeddedS3.REGION);
        env.put("AWS_ENDPOINT_URL", s3.endpoint());
        env.put("PGHOST", pg.host());
        env.put("PGPORT", Integer.toString(pg.port()));
        env.put("PGUSER", EmbeddedPostgres.SUPERUSER);
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), script + "\n" + output);
    }
}
