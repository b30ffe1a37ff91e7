package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;

import static ai.loopgpt.dr.backup.BackupTesting.awaitFinal;
import static ai.loopgpt.dr.backup.BackupTesting.download;
import static ai.loopgpt.dr.backup.BackupTesting.emptyDatabase;
import static ai.loopgpt.dr.backup.BackupTesting.keysUnder;
import static ai.loopgpt.dr.backup.BackupTesting.psql;
import static ai.loopgpt.dr.backup.BackupTesting.request;
import static ai.loopgpt.dr.backup.BackupTesting.s3;
import static ai.loopgpt.dr.backup.BackupTesting.sh;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.stream.PgOutputDecoder;
import ai.loopgpt.dr.backup.stream.StreamChain;
import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.embedded.SampleDatabase;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A streamed target: its base backup is taken in its slot's snapshot, its committed changes reach the
 * bucket as change segments within seconds, and the base then the segments, replayed by hand with
 * aws-style downloads, gunzip and psql, give exactly the target's rows. A newer base takes over: the
 * old chain is closed and its slot dropped.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(StreamTest.StreamedTarget.class)
class StreamTest {

    @jakarta.inject.Inject
    ai.loopgpt.dr.backup.alert.AlertService alerts;

    static final String PASSWORD = UUID.randomUUID().toString();

    /** Target {@code streamed}: a sample database whose user may replicate, with the stream's publication. */
    public static class StreamedTarget implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            EmbeddedPostgres pg = PostgresResource.server();
            pg.ensureDatabase("loopgpt_streamed", "loopgpt_streamer", PASSWORD);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("loopgpt_streamed"), "loopgpt_streamer", PASSWORD);
                    Connection admin = pg.connect("loopgpt_streamed"); Statement s = admin.createStatement()) {
                SampleDatabase.populate(c, 50);
                s.execute("ALTER ROLE loopgpt_streamer REPLICATION");
                s.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            pg.ensureDatabase("loopgpt_keyless", "loopgpt_streamer", PASSWORD);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("loopgpt_keyless"), "loopgpt_streamer", PASSWORD);
                    Statement s = c.createStatement(); Connection admin = pg.connect("loopgpt_keyless");
                    Statement a = admin.createStatement()) {
                s.execute("CREATE TABLE events_log (at timestamptz NOT NULL, line text)");
                s.execute("CREATE TABLE keyed (id int PRIMARY KEY)");
                a.execute("CREATE PUBLICATION dr_stream FOR ALL TABLES");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> config = new java.util.HashMap<>();
            target(config, "keyless", "loopgpt_keyless", true);
            target(config, "streamed", "loopgpt_streamed", true);
            target(config, "plain", "loopgpt_streamed", false);
            config.put("backup.stream.segment-seconds", "1");
            config.put("backup.stream.check-every", "1s");
            config.put("backup.stream.rpo", "15s");
            return config;
        }

        /** Target {@code name} on {@code database} of the test server, as the streaming user. */
        static void target(Map<String, String> config, String name, String database, boolean stream) {
            String prefix = "backup.targets.\"" + name + "\".";
            config.put(prefix + "host", PostgresResource.server().host());
            config.put(prefix + "port", Integer.toString(PostgresResource.server().port()));
            config.put(prefix + "database", database);
            config.put(prefix + "user", "loopgpt_streamer");
            config.put(prefix + "password", PASSWORD);
            if (stream) {
                config.put(prefix + "stream", "true");
            }
        }

        @Override
        public void stop() {
        }
    }

    /**
     * Chains left STARTING by a crash, the first of a target since removed from the configuration: both
     * are settled FAILED (the removed target's slot cannot be dropped from here, and says so), and the
     * removed target does not stop the check from settling the configured one's.
     */
    @Test
    void chainsLeftStartingAreSettledAlsoWhenTheirTargetWasRemoved() {
        UUID removed = UUID.randomUUID();
        UUID configured = UUID.randomUUID();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            startingChain(removed, "removed-target", java.time.Instant.now().minusSeconds(2));
            startingChain(configured, "plain", java.time.Instant.now().minusSeconds(1));
        });
        Awaitility.await("both chains settled").atMost(Duration.ofSeconds(30)).until(() -> {
            List<StreamChain> chains = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                    List.of(StreamChain.<StreamChain>findById(removed), StreamChain.<StreamChain>findById(configured)));
            return chains.stream().allMatch(chain -> chain.phase == StreamChain.Phase.FAILED);
        });
        StreamChain settled = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> StreamChain.findById(removed));
        assertTrue(settled.endReason.contains("no longer configured"), settled.endReason);
    }

    private static void startingChain(UUID id, String target, java.time.Instant created) {
        StreamChain chain = new StreamChain();
        chain.id = id;
        chain.target = target;
        chain.slotName = StreamChain.slotName(target, id);
        chain.phase = StreamChain.Phase.STARTING;
        chain.createdAt = created;
        chain.updatedAt = created;
        chain.persist();
    }

    @Test
    void theBaseAndTheSegmentsAfterItReplayByHandToTheTargetsRows() throws Exception {
        String firstId = request("{\"target\":\"streamed\",\"kind\":\"manual\"}");
        JsonPath first = awaitFinal(firstId);
        assertEquals("SUCCEEDED", first.getString("phase"), first.prettify());
        String slot = "dr_streamed_" + firstId.substring(0, 8);
        assertEquals(List.of(slot), slots());

        // Changes of every kind after the base, in several transactions and one spanning tables.
        long beforeLast;
        try (Connection c = target(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (email, full_name, country, plan, created_at) VALUES "
                    + "('stream@example.com', E'O''Neil\\nSecond line', 'IE', 'pro', now())");
            s.execute("UPDATE orders SET status = 'delivered' WHERE id % 3 = 0");
            s.execute("DELETE FROM provider_events WHERE id % 4 = 0");
            s.execute("BEGIN; INSERT INTO orders (user_id, provider, status, total_cents, delivery_addr, created_at) "
                    + "SELECT id, 'shipt', 'new', 1234, 'Main St 1', now() FROM users WHERE email = 'stream@example.com'; "
                    + "UPDATE food_items SET nutrition = nutrition || '{\"checked\": true}' WHERE id <= 5; COMMIT");
            beforeLast = currentWal(s);
            s.execute("UPDATE users SET plan = 'plus' WHERE email = 'stream@example.com'");
        }
        String prefix = "backups/streamed/stream/" + firstId + "/";
        S3Client s3 = s3();
        // Within seconds the last transaction is durable: a segment ends past the position before it.
        Awaitility.await("the last change in the bucket").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> manifests(s3, prefix).stream().anyMatch(m -> ChangeSegmentFormat.parseLsn(m.getString("endLsn")) > beforeLast));
        // Once durable, the slot is confirmed up to it: the server need not keep that WAL any longer. (It may
        // be confirmed further, over WAL without changes of the target; that it is never confirmed past a
        // change not yet durable is what ChangeStreamerTest and StreamCrashIT check, with crashes in between.)
        long durable = manifests(s3, prefix).stream().mapToLong(m -> ChangeSegmentFormat.parseLsn(m.getString("endLsn"))).max().orElseThrow();
        Awaitility.await("the slot confirmed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> confirmed(slot) >= durable);

        // By hand: the base, then every segment (those with a manifest) in key order.
        String copy = emptyDatabase();
        Path dir = Files.createTempDirectory("by-hand");
        sh("gunzip -c " + download(s3, first.getString("objectKey"), dir) + " | " + psql(copy));
        List<JsonPath> segments = manifests(s3, prefix);
        String previous = null;
        for (JsonPath manifest : segments) {
            if (previous != null) {
                assertEquals(previous, manifest.getString("previousLsn"), "segments chain by LSN");
            }
            previous = manifest.getString("endLsn");
            Path segment = download(s3, manifest.getString("objectKey"), dir);
            assertEquals(manifest.getString("sha256"), sh("sha256sum " + segment).split(" ")[0]);
            sh("gunzip -c " + segment + " | " + psql(copy));
        }
        for (String table : SampleDatabase.TABLES) {
            assertEquals(rows("loopgpt_streamed", table), rows(copy, table), table);
        }
        assertEquals(rows("loopgpt_streamed", "users").size(), 51);

        // A time between two changes: the plan's own commands (base, segments, the last one cut with
        // awk) bring an empty database to the rows the target had then.
        // Two changes a moment apart (one segment holds both), and the rows between them.
        try (Connection c = target(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (email, full_name, country, plan, created_at) VALUES ('later@example.com', 'Later', 'FR', 'free', now())");
        }
        Map<String, List<String>> then = new java.util.LinkedHashMap<>();
        for (String table : SampleDatabase.TABLES) {
            then.put(table, rows("loopgpt_streamed", table));
        }
        java.time.Instant between;
        long beforeLater;
        try (Connection c = target(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                between = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
            Thread.sleep(20);
            beforeLater = currentWal(s);
            s.execute("DELETE FROM provider_events WHERE id % 5 = 0");
        }
        Awaitility.await("the later changes in the bucket").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> manifests(s3, prefix).stream().anyMatch(m -> ChangeSegmentFormat.parseLsn(m.getString("endLsn")) > beforeLater));
        JsonPath plan = given().auth().oauth2(Tokens.viewer()).queryParam("toTime", between.toString())
                .when().get("/api/v1/targets/streamed/stream/plan").then().statusCode(200).extract().jsonPath();
        assertEquals(firstId, plan.getString("base.id"), plan.prettify());
        assertTrue(plan.getBoolean("segments[-1].cut"), "the last segment is cut at the time: " + plan.prettify());
        String atThen = emptyDatabase();
        List<String> commands = new ArrayList<>(List.of(plan.getString("base.restore")));
        commands.addAll(plan.getList("segments.restore", String.class));
        for (String command : commands) {
            // The plan's command, with the object fetched by our S3 client instead of aws and DB named.
            String fetch = command.substring(0, command.indexOf(" - | ") + 5);
            String key = fetch.substring(fetch.indexOf('/', "aws s3 cp s3://".length()) + 1, fetch.length() - 5);
            String local = command.replace(fetch, "cat " + download(s3, key, dir) + " | ")
                    .replaceAll("psql .*$", psql(atThen));
            // awk stops reading at the cut: gunzip may then end on SIGPIPE, which only pipefail would see.
            sh(command.contains("awk") ? "set +o pipefail; " + local : local);
        }
        for (String table : SampleDatabase.TABLES) {
            assertEquals(then.get(table), rows(atThen, table), table + " as it was at " + between);
        }
        assertTrue(plan.getString("script").contains(plan.getString("segments[-1].restore")));

        // Idle, the stream shows it holds every change up to moments ago (it passed the server's WAL position
        // read then): the target's RPO age is seconds, against the stream's RPO, and a time after the last
        // change can be planned.
        java.time.Instant idleSince = java.time.Instant.now().plusSeconds(2);
        JsonPath caughtUp = Awaitility.await("the idle stream caught up").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/streamed").then()
                        .statusCode(200).extract().jsonPath(), json -> json.getString("restorableUntil") != null
                        && java.time.Instant.parse(json.getString("restorableUntil")).isAfter(idleSince));
        assertTrue(caughtUp.getBoolean("streamed"), caughtUp.prettify());
        assertEquals(15, caughtUp.getLong("rpoSeconds"), caughtUp.prettify());
        assertFalse(caughtUp.getBoolean("rpoBreached"), caughtUp.prettify());
        assertTrue(caughtUp.getLong("rpoAgeSeconds") < 30, caughtUp.prettify());
        given().auth().oauth2(Tokens.viewer()).queryParam("toTime", idleSince.toString())
                .when().get("/api/v1/targets/streamed/stream/plan").then().statusCode(200);
        JsonPath plainTarget = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/plain").then()
                .statusCode(200).extract().jsonPath();
        assertFalse(plainTarget.getBoolean("streamed"), plainTarget.prettify());
        assertEquals(3600, plainTarget.getLong("rpoSeconds"), plainTarget.prettify());
        String metrics = ai.loopgpt.dr.testing.Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        double rpoAge = metrics.lines().filter(l -> l.startsWith("dr_backup_rpo_age_seconds{") && l.contains("target=\"streamed\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        assertTrue(rpoAge < 30, "dr_backup_rpo_age_seconds of streamed: " + rpoAge);

        // What cannot be planned says why, and what can.
        given().auth().oauth2(Tokens.viewer()).queryParam("toTime", "2020-01-01T00:00:00Z")
                .when().get("/api/v1/targets/streamed/stream/plan").then().statusCode(422)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("The stream covers"));
        given().auth().oauth2(Tokens.viewer()).queryParam("toTime", java.time.Instant.now().plusSeconds(3600).toString())
                .when().get("/api/v1/targets/streamed/stream/plan").then().statusCode(422)
                .body("detail", org.hamcrest.Matchers.containsString("after the last change streamed"));
        given().auth().oauth2(Tokens.viewer()).queryParam("toTime", between.toString())
                .when().get("/api/v1/targets/plain/stream/plan").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("backup.targets.plain.stream=true"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/streamed/stream/plan").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("toTime is required"));
        given().auth().oauth2(Tokens.viewer()).queryParam("toTime", between.toString())
                .when().get("/api/v1/targets/nowhere/stream/plan").then().statusCode(404);
        JsonPath stream = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/streamed/stream")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("ACTIVE", stream.getString("chains[0].phase"), stream.prettify());
        assertEquals(slot, stream.getString("chains[0].slot"));
        assertTrue(stream.getInt("chains[0].segments") >= 2, stream.prettify());

        // A schema change: the chain ends before it, and a new base (asked for by the stream) starts the next one.
        try (Connection c = target(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE users ADD COLUMN nickname text");
            s.execute("UPDATE users SET nickname = 'streamy', plan = 'free' WHERE email = 'stream@example.com'");
        }
        JsonPath second = Awaitility.await("a new base").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().auth().oauth2(Tokens.viewer()).queryParam("target", "streamed").when().get("/api/v1/backups")
                        .then().statusCode(200).extract().jsonPath(),
                        list -> list.getList("items.findAll { it.id != '" + firstId + "' && it.phase == 'SUCCEEDED' }").size() == 1);
        String secondId = second.getString("items.find { it.id != '" + firstId + "' }.id");
        assertTrue(second.getString("items.find { it.id != '" + firstId + "' }.reason").contains("schema of public.users changed"),
                second.prettify());
        String newSlot = "dr_streamed_" + secondId.substring(0, 8);
        Awaitility.await("the old slot dropped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> slots().equals(List.of(newSlot)));
        // The first chain still replays on its base: the schema change is not in it.
        String again = emptyDatabase();
        sh("gunzip -c " + download(s3, first.getString("objectKey"), dir) + " | " + psql(again));
        for (JsonPath manifest : manifests(s3, prefix)) {
            sh("gunzip -c " + download(s3, manifest.getString("objectKey"), dir) + " | " + psql(again));
        }
        assertEquals(List.of(), rows(again, "users").stream().filter(r -> r.contains("streamy")).toList());

        // The new chain: its base then its segments give the target's rows, new column included.
        long beforeNext;
        try (Connection c = target(); Statement s = c.createStatement()) {
            beforeNext = currentWal(s);
            s.execute("UPDATE users SET nickname = 'streamed twice' WHERE email = 'stream@example.com'");
        }
        String nextPrefix = "backups/streamed/stream/" + secondId + "/";
        Awaitility.await("a segment of the new chain").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> manifests(s3, nextPrefix).stream().anyMatch(m -> ChangeSegmentFormat.parseLsn(m.getString("endLsn")) > beforeNext));
        String next = emptyDatabase();
        JsonPath secondBackup = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + secondId)
                .then().statusCode(200).extract().jsonPath();
        sh("gunzip -c " + download(s3, secondBackup.getString("objectKey"), dir) + " | " + psql(next));
        for (JsonPath manifest : manifests(s3, nextPrefix)) {
            sh("gunzip -c " + download(s3, manifest.getString("objectKey"), dir) + " | " + psql(next));
        }
        for (String table : SampleDatabase.TABLES) {
            assertEquals(rows("loopgpt_streamed", table), rows(next, table), table);
        }
        assertFalse(keysUnder(s3, "backups/streamed/").stream().anyMatch(k -> k.contains("/stream/")
                && !k.contains(firstId) && !k.contains(secondId)));

        // The slot dropped behind the service's back: the chain ends at its last segment, said as such.
        Awaitility.await("the slot dropped by hand").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement()) {
                        s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                                + newSlot + "' AND active");
                        s.execute("SELECT pg_drop_replication_slot('" + newSlot + "')");
                        return true;
                    } catch (java.sql.SQLException inUse) {
                        return false;
                    }
                });
        JsonPath lost = Awaitility.await("the chain ended").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/streamed/stream")
                        .then().statusCode(200).extract().jsonPath(), json -> "CLOSED".equals(json.getString("chains[0].phase")));
        assertTrue(lost.getString("chains[0].endReason").startsWith("slot-lost"), lost.prettify());
        // Nothing streams now: within the stream's RPO (15 s here) the target is in breach, and the alert says why.
        Awaitility.await("the stream's RPO breached").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/streamed").then()
                        .statusCode(200).extract().jsonPath().getBoolean("rpoBreached"));
        alerts.checkAll();
        String reason = given().auth().oauth2(Tokens.viewer()).queryParam("open", true).when().get("/api/v1/alerts")
                .then().statusCode(200).extract().path("items.find { it.target == 'streamed' && it.problem == 'rpo-breach' }.reason");
        assertTrue(reason != null && reason.startsWith("The change stream of streamed holds every change only up to "), reason);

        // A target that cannot stream as it is: its backup is a plain dump, and streaming stops saying why.
        JsonPath keyless = awaitFinal(request("{\"target\":\"keyless\",\"kind\":\"manual\"}"));
        assertEquals("SUCCEEDED", keyless.getString("phase"), keyless.prettify());
        JsonPath refused = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/keyless/stream")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(false, refused.getBoolean("streamed"));
        assertTrue(refused.getString("stoppedReason").contains("tables without a primary key or replica identity: "
                + "public.events_log (give each"), refused.prettify());
        assertFalse(refused.getString("stoppedReason").contains("keyed"));
        assertTrue(slots().stream().noneMatch(name -> name.startsWith("dr_keyless_")), "no slot made");
    }

    static Connection target() throws Exception {
        return DriverManager.getConnection(PostgresResource.server().jdbcUrl("loopgpt_streamed"), "loopgpt_streamer", PASSWORD);
    }

    static long currentWal(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> slots() throws Exception {
        List<String> slots = new ArrayList<>();
        try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots ORDER BY 1")) {
            while (rs.next()) {
                slots.add(rs.getString(1));
            }
        }
        return slots;
    }

    static long confirmed(String slot) throws Exception {
        try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots "
                        + "WHERE slot_name = '" + slot + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }


    static List<JsonPath> manifests(S3Client s3, String prefix) {
        return keysUnder(s3, prefix).stream().filter(k -> k.endsWith(".manifest.json")).sorted()
                .map(k -> new JsonPath(s3.getObjectAsBytes(b -> b.bucket(S3Resource.BUCKET).key(k)).asUtf8String()))
                .toList();
    }

    static List<String> rows(String database, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
