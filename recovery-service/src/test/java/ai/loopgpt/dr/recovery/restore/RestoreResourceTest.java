package ai.loopgpt.dr.recovery.restore;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
public class RestoreResourceTest {

    /** Takes a backup with backup-service itself and waits for it. */
    public static JsonPath backupOf(String target, String options) {
        String id = given().baseUri(BackupServiceResource.url()).auth().oauth2(Tokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"target\":\"" + target + "\",\"kind\":\"manual\"" + options + "}")
                .when().post("/api/v1/backups").then().statusCode(202).extract().path("id");
        JsonPath done = JobPolling.awaitPhase(BackupServiceResource.url() + "/api/v1/backups/" + id, Tokens.viewer(),
                JobPolling.ENDED, Duration.ofMinutes(2), Duration.ofMillis(200));
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        return done;
    }

    static JsonPath backupServiceGet(String path) {
        return given().baseUri(BackupServiceResource.url()).auth().oauth2(Tokens.viewer())
                .when().get(path).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitRestore(String id) {
        return JobPolling.awaitPhase(JobPolling.underTest("/api/v1/restores/" + id), Tokens.viewer(), JobPolling.ENDED,
                Duration.ofMinutes(3), Duration.ofMillis(200));
    }

    static String restore(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/restores").then().statusCode(202).extract().path("id");
    }

    static Map<String, Long> counts(String database, Iterable<String> tables) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    public static List<String> databases() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT datname FROM pg_database ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static Map<String, Long> manifestRows(JsonPath backup) {
        Map<String, Long> rows = new TreeMap<>();
        backup.<String, Object>getMap("tableRows").forEach((k, v) -> rows.put(k, ((Number) v).longValue()));
        return rows;
    }

    @Test
    void aBackupMadeByBackupServiceRestoresIntoANewDatabaseWithMatchingRowCounts() throws Exception {
        // Refreshed by the restore's own session: shows the settings the load ran with.
        try (Connection c = PostgresResource.server().connect("loopgpt"); Statement s = c.createStatement()) {
            s.execute("CREATE MATERIALIZED VIEW IF NOT EXISTS restore_session AS"
                    + " SELECT current_setting('max_parallel_maintenance_workers') AS index_build_workers,"
                    + " current_setting('synchronous_commit') AS synchronous_commit,"
                    + " (SELECT array_to_string(reloptions, ',') FROM pg_class"
                    + "  WHERE relname = 'users' AND relnamespace = 'public'::regnamespace) AS users_options");
            // A table with settings of its own: they come back as they were, autovacuum's among them.
            s.execute("ALTER TABLE food_items SET (autovacuum_enabled = false, fillfactor = 90)");
        }
        try {
            restoresWithMatchingRowCounts();
        } finally {
            try (Connection c = PostgresResource.server().connect("loopgpt"); Statement s = c.createStatement()) {
                s.execute("DROP MATERIALIZED VIEW restore_session");
                s.execute("ALTER TABLE food_items RESET (autovacuum_enabled, fillfactor)");
            }
        }
    }

    private void restoresWithMatchingRowCounts() throws Exception {
        for (String options : List.of("", ",\"format\":\"custom\",\"compression\":\"zstd\"",
                ",\"format\":\"directory\",\"jobs\":2")) {
            JsonPath backup = backupOf("loopgpt", options);
            JsonPath done = awaitRestore(restore(Tokens.operator(),
                    "{\"backupId\":\"" + backup.getString("id") + "\",\"destination\":\"loopgpt\"}"));
            assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
            assertEquals("new-database", done.getString("mode"));
            String database = done.getString("restoredDatabase");
            assertTrue(database.startsWith("loopgpt_restore_"), database);
            Map<String, Long> expected = manifestRows(backup);
            assertEquals(expected, counts(database, expected.keySet()));
            assertEquals(expected.size(), done.getInt("progress.tablesVerified"));
            assertEquals(backup.getLong("sizeBytes"), done.getLong("progress.bytesRead"));
            assertNotNull(done.get("durationMillis"));
            assertTrue(done.getLong("dataLossWindowSeconds") >= 0);
            // Two or more sessions: each builds its own index without PostgreSQL's extra workers.
            try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM restore_session")) {
                rs.next();
                assertEquals("0", rs.getString("index_build_workers"), options);
                assertEquals("off", rs.getString("synchronous_commit"), options);
                // Autovacuum was kept off the tables while they loaded ...
                assertEquals("autovacuum_enabled=off", rs.getString("users_options"), options);
            }
            // ... and is back on them as in the backup.
            try (Connection c = PostgresResource.server().connect(database); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT relname, array_to_string(reloptions, ',') FROM pg_class"
                            + " WHERE relname IN ('users', 'food_items') AND relnamespace = 'public'::regnamespace"
                            + " ORDER BY relname")) {
                rs.next();
                assertEquals("autovacuum_enabled=false,fillfactor=90", rs.getString(2), options);
                rs.next();
                assertNull(rs.getString(2), options);
            }
            try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + database);
            }
        }
    }

    @Test
    void latestBeforeRestoresTheNewestBackupTakenBeforeThatTime() throws Exception {
        JsonPath older = backupOf("loopgpt", "");
        Instant between = Instant.parse(older.getString("finishedAt")).plusMillis(1);
        Thread.sleep(1100);
        backupOf("loopgpt", "");
        JsonPath done = awaitRestore(restore(Tokens.operator(),
                "{\"target\":\"loopgpt\",\"latestBefore\":\"" + between + "\",\"destination\":\"loopgpt\"}"));
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        assertEquals(older.getString("id"), done.getString("backupId"));
    }

    @Test
    void inPlaceNeedsAnAdminAndConfirmationAndTakesASafetyBackupFirst() throws Exception {
        JsonPath backup = backupOf("loopgpt", "");
        String body = "{\"backupId\":\"" + backup.getString("id") + "\",\"destination\":\"scratch\",\"mode\":\"in-place\"";
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body + "}")
                .when().post("/api/v1/restores").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("confirm"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body + ",\"confirm\":\"scratch\"}")
                .when().post("/api/v1/restores").then()
                .statusCode(403).contentType("application/problem+json").body("detail", containsString("dr-admin"));

        JsonPath done = awaitRestore(restore(Tokens.admin(), body + ",\"confirm\":\"scratch\"}"));
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        assertEquals("scratch", done.getString("restoredDatabase"));
        String safety = done.getString("safetyBackupId");
        JsonPath safetyBackup = backupServiceGet("/api/v1/backups/" + safety);
        assertEquals("pre-change", safetyBackup.getString("kind"));
        assertEquals("scratch", safetyBackup.getString("target"));
        assertEquals("SUCCEEDED", safetyBackup.getString("phase"));
        assertTrue(Instant.parse(safetyBackup.getString("finishedAt")).isBefore(Instant.parse(done.getString("finishedAt"))));
        // scratch held 50 users; it now holds the restored 200, and the replaced data is kept aside.
        assertEquals(manifestRows(backup), counts("scratch", manifestRows(backup).keySet()));
        assertEquals(50L, counts(done.getString("replacedDatabase"), List.of("public.users")).get("public.users"));
        // The restored database still belongs to the application: backup-service backs it up as before.
        assertEquals(200L, ((Number) backupOf("scratch", "").getMap("tableRows").get("public.users")).longValue());

        // The replaced database is kept until an admin drops it.
        String replaced = done.getString("replacedDatabase");
        given().auth().oauth2(Tokens.operator()).when().delete("/api/v1/restores/" + done.getString("id")
                + "/replaced-database").then().statusCode(403).contentType("application/problem+json");
        assertTrue(databases().contains(replaced));
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/restores/" + done.getString("id")
                + "/replaced-database").then().statusCode(200).body("replacedDroppedAt", org.hamcrest.Matchers.notNullValue());
        assertFalse(databases().contains(replaced));
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/restores/" + done.getString("id")
                + "/replaced-database").then().statusCode(409).body("detail", containsString("already dropped"));
    }

    @Test
    void anAlteredObjectIsRefusedWithAChecksumErrorAndTheDestinationIsUntouched() throws Exception {
        JsonPath backup = backupOf("loopgpt", "");
        EmbeddedS3 server = S3Resource.server();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(EmbeddedS3.REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            byte[] original = s3.getObjectAsBytes(b -> b.bucket(S3Resource.BUCKET).key(backup.getString("objectKey")))
                    .asByteArray();
            // Same size, one byte different, still valid gzip framing at the start.
            original[original.length / 2] ^= 0x01;
            s3.putObject(b -> b.bucket(S3Resource.BUCKET).key(backup.getString("objectKey")), RequestBody.fromBytes(original));
        }
        Map<String, Long> vaultBefore = counts("vault", manifestRows(backup).keySet());
        List<String> databasesBefore = databases();

        JsonPath done = awaitRestore(restore(Tokens.admin(), "{\"backupId\":\"" + backup.getString("id")
                + "\",\"destination\":\"vault\",\"mode\":\"in-place\",\"confirm\":\"vault\"}"));
        assertEquals("FAILED", done.getString("phase"), done.prettify());
        assertTrue(done.getString("failureReason").contains("Checksum mismatch")
                || done.getString("failureReason").contains("checksum"), done.prettify());
        assertEquals(vaultBefore, counts("vault", manifestRows(backup).keySet()));
        assertEquals(databasesBefore, databases(), "no staging or replaced database left behind");
    }

    @Test
    void aManifestPointingOutsideTheBackupAreaIsNeverRestored() throws Exception {
        JsonPath genuine = backupOf("loopgpt", "");
        String forgedId = UUID.randomUUID().toString();
        String forgedManifest = genuine.getString("manifestKey").replace(".manifest.json", "_forged.manifest.json");
        try (S3Client s3 = s3()) {
            try {
                // Someone with write access to the bucket drops a manifest that points at another object.
                s3.putObject(b -> b.bucket(S3Resource.BUCKET).key("elsewhere/secrets.sql.gz"),
                        RequestBody.fromBytes(s3.getObjectAsBytes(g -> g.bucket(S3Resource.BUCKET)
                                .key(genuine.getString("objectKey"))).asByteArray()));
                String manifest = s3.getObjectAsBytes(b -> b.bucket(S3Resource.BUCKET).key(genuine.getString("manifestKey")))
                        .asUtf8String().replace(genuine.getString("id"), forgedId)
                        .replace(genuine.getString("objectKey"), "elsewhere/secrets.sql.gz");
                s3.putObject(b -> b.bucket(S3Resource.BUCKET).key(forgedManifest), RequestBody.fromString(manifest));
                rebuildCatalog();
                assertEquals("elsewhere/secrets.sql.gz",
                        backupServiceGet("/api/v1/backups/" + forgedId).getString("objectKey"));
                List<String> databasesBefore = databases();
                given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                        .body("{\"backupId\":\"" + forgedId + "\",\"destination\":\"loopgpt\"}")
                        .when().post("/api/v1/restores").then()
                        .statusCode(409).contentType("application/problem+json")
                        .body("detail", containsString("outside the backup area"));
                assertEquals(databasesBefore, databases());
            } finally {
                s3.deleteObject(b -> b.bucket(S3Resource.BUCKET).key(forgedManifest));
                s3.deleteObject(b -> b.bucket(S3Resource.BUCKET).key("elsewhere/secrets.sql.gz"));
                rebuildCatalog();
            }
        }
    }

    @Test
    void aRestoreWhoseRowsDifferFromTheManifestFailsNamingTheTable() throws Exception {
        // Row counts are checked whichever way they are taken: the COPY results (plain, directory), the server's
        // insert counts and then count(*) (archives pg_restore loads).
        for (String options : List.of("", ",\"format\":\"directory\",\"jobs\":2",
                ",\"format\":\"custom\",\"compression\":\"zstd\"")) {
            JsonPath genuine = backupOf("loopgpt", options);
            Map<String, Long> rows = manifestRows(genuine);
            String table = rows.entrySet().stream().filter(e -> e.getValue() > 0).findFirst().orElseThrow().getKey();
            long claimed = rows.get(table) + 1;
            String forgedId = UUID.randomUUID().toString();
            String forgedManifest = genuine.getString("manifestKey").replace(".manifest.json", "_miscounted.manifest.json");
            // The same object under another key (a catalog entry owns its object alone).
            String objectKey = genuine.getString("objectKey");
            String forgedObject = objectKey.replaceFirst("(\\.[a-z.]+)$", "_miscounted$1");
            try (S3Client s3 = s3()) {
                try {
                    s3.copyObject(b -> b.sourceBucket(S3Resource.BUCKET).sourceKey(objectKey)
                            .destinationBucket(S3Resource.BUCKET).destinationKey(forgedObject));
                    String manifest = s3.getObjectAsBytes(b -> b.bucket(S3Resource.BUCKET).key(genuine.getString("manifestKey")))
                            .asUtf8String().replace(genuine.getString("id"), forgedId).replace(objectKey, forgedObject)
                            .replaceFirst("(\"" + java.util.regex.Pattern.quote(table) + "\"\\s*:\\s*)" + rows.get(table) + "\\b",
                                    "$1" + claimed);
                    s3.putObject(b -> b.bucket(S3Resource.BUCKET).key(forgedManifest), RequestBody.fromString(manifest));
                    rebuildCatalog();
                    assertEquals(claimed, manifestRows(backupServiceGet("/api/v1/backups/" + forgedId)).get(table));
                    List<String> databasesBefore = databases();

                    JsonPath done = awaitRestore(restore(Tokens.operator(),
                            "{\"backupId\":\"" + forgedId + "\",\"destination\":\"loopgpt\"}"));
                    assertEquals("FAILED", done.getString("phase"), done.prettify());
                    assertEquals("Row counts differ from the manifest in " + table + " (manifest " + claimed
                            + ", restored " + rows.get(table) + "). The restored copy was discarded.",
                            done.getString("failureReason"), options);
                    assertEquals(databasesBefore, databases(), "the staging database was dropped");
                } finally {
                    s3.deleteObject(b -> b.bucket(S3Resource.BUCKET).key(forgedManifest));
                    s3.deleteObject(b -> b.bucket(S3Resource.BUCKET).key(forgedObject));
                    rebuildCatalog();
                }
            }
        }
    }

    private static void rebuildCatalog() {
        given().baseUri(BackupServiceResource.url()).auth().oauth2(Tokens.admin()).when().post("/api/v1/catalog/rebuild")
                .then().statusCode(200);
    }

    static S3Client s3() {
        EmbeddedS3 server = S3Resource.server();
        return S3Client.builder().endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(EmbeddedS3.REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void badRequestsAreProblemsAndStartNothing() {
        long before = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/restores").then()
                .extract().jsonPath().getLong("total");
        String someBackup = UUID.randomUUID().toString();
        problem("{\"backupId\":\"" + someBackup + "\",\"destination\":\"production-primary\"}", 400, "allow-list");
        problem("{\"backupId\":\"" + someBackup + "\",\"destination\":\"loopgpt\"}", 400, someBackup);
        problem("{\"destination\":\"loopgpt\"}", 400, "backupId");
        problem("{\"backupId\":\"" + someBackup + "\",\"destination\":\"loopgpt\",\"mode\":\"sideways\"}", 400, "mode");
        problem("{\"backupId\":\"not-a-uuid\",\"destination\":\"loopgpt\"}", 400, "backupId");
        given().auth().oauth2(Tokens.viewer()).contentType(ContentType.JSON)
                .body("{\"backupId\":\"" + someBackup + "\",\"destination\":\"loopgpt\"}")
                .when().post("/api/v1/restores").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/restores").then()
                .body("total", equalTo((int) before));
    }

    private static void problem(String body, int status, String detail) {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/restores").then()
                .statusCode(status).contentType("application/problem+json")
                .body("detail", containsString(detail));
    }
}
