package ai.loopgpt.dr.backup;

import static ai.loopgpt.dr.backup.BackupTesting.awaitFinal;
import static ai.loopgpt.dr.backup.BackupTesting.download;
import static ai.loopgpt.dr.backup.BackupTesting.emptyDatabase;
import static ai.loopgpt.dr.backup.BackupTesting.keysUnder;
import static ai.loopgpt.dr.backup.BackupTesting.openUploads;
import static ai.loopgpt.dr.backup.BackupTesting.psql;
import static ai.loopgpt.dr.backup.BackupTesting.request;
import static ai.loopgpt.dr.backup.BackupTesting.rowCounts;
import static ai.loopgpt.dr.backup.BackupTesting.sh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.backup.service.BackupService;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
class BackupResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BackupService backups;

    @Test
    void aBackupLandsUnderTheDocumentedKeyAndRestoresWithThePlansRunbook() throws Exception {
        var accepted = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"target\":\"loopgpt\",\"kind\":\"manual\",\"reason\":\"before the orders migration\"}")
                .when().post("/api/v1/backups").then()
                .statusCode(202)
                .header("Location", containsString("/api/v1/backups/"))
                .body("phase", equalTo("PENDING"))
                .extract();
        JsonPath backup = awaitFinal(accepted.path("id"));
        assertEquals("SUCCEEDED", backup.getString("phase"), backup.prettify());
        String key = backup.getString("objectKey");
        assertTrue(key.matches("backups/loopgpt/\\d{4}/\\d{2}/\\d{2}/db_backup_\\d{8}_\\d{6}\\.sql\\.gz"), key);
        assertEquals(key.replace(".sql.gz", ".manifest.json"), backup.getString("manifestKey"));
        assertEquals("manual", backup.getString("retentionClass"));

        Path work = Files.createDirectories(Path.of("target/restore"));
        try (S3Client s3 = BackupTesting.s3()) {
            JsonNode manifest = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(S3Resource.BUCKET)
                    .key(backup.getString("manifestKey"))).asByteArray());
            assertEquals(accepted.path("id").toString(), manifest.get("backupId").asText());
            assertEquals("15.18", manifest.get("postgresServerVersion").asText());
            assertTrue(manifest.get("pgDumpVersion").asText().startsWith("15."), manifest.toString());
            assertEquals(key, manifest.get("objectKey").asText());

            // The plan's manual restore: aws s3 cp, gunzip, psql into an empty database.
            Path file = download(s3, key, work);
            assertEquals(manifest.get("sha256").asText(), sha256(file));
            assertEquals(manifest.get("sizeBytes").asLong(), Files.size(file));
            String database = emptyDatabase();
            sh("gunzip -c " + file + " | " + psql(database));

            Map<String, Long> expected = new TreeMap<>();
            manifest.get("tableRows").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asLong()));
            assertEquals(Map.of("public.users", 200L, "public.food_items", 100L, "public.orders", 600L,
                    "public.order_items", 1800L, "public.provider_events", 1200L), expected);
            assertEquals(expected, new TreeMap<>(rowCounts(database, expected.keySet())));
        }

        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/targets/loopgpt").then()
                .body("lastBackup.id", notNullValue())
                .body("rpoBreached", equalTo(false));
        ai.loopgpt.dr.testing.Management.given().when().get("/q/metrics").then()
                .body(containsString("dr_backup_last_success_timestamp_seconds{target=\"loopgpt\"}"))
                .body(containsString("dr_backup_duration_seconds_count"));
    }

    @Test
    void theCatalogEmptiedAndRebuiltFromTheBucketEqualsWhatItWas() throws Exception {
        awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"automatic\"}"));
        awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"pre-change\",\"format\":\"custom\",\"compression\":\"zstd\"}"));
        List<Object> before = succeeded();
        assertTrue(before.size() >= 2, before.toString());

        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM backup.backup");
        }
        given().auth().oauth2(Tokens.viewer()).queryParam("status", "SUCCEEDED").when().get("/api/v1/backups").then()
                .body("total", equalTo(0));

        given().auth().oauth2(Tokens.operator()).when().post("/api/v1/catalog/rebuild").then().statusCode(403);
        given().auth().oauth2(Tokens.admin()).when().post("/api/v1/catalog/rebuild").then()
                .statusCode(200)
                .body("added", equalTo(before.size()))
                .body("unreadable.size()", equalTo(0));
        assertEquals(before, succeeded());
    }

    private static List<Object> succeeded() {
        return given().auth().oauth2(Tokens.viewer()).queryParam("status", "SUCCEEDED").queryParam("size", 500)
                .when().get("/api/v1/backups").then().statusCode(200).extract().jsonPath().getList("items");
    }

    @Test
    void aWrongPasswordOrATargetThatIsDownEndsFailedWithNothingLeft() throws Exception {
        JsonPath wrong = awaitFinal(request("{\"target\":\"wrong-password\",\"kind\":\"manual\"}"));
        assertEquals("FAILED", wrong.getString("phase"));
        assertTrue(wrong.getString("failureReason").contains("password authentication failed"), wrong.prettify());
        assertTrue(!wrong.prettify().contains(SampleTargetResource.PASSWORD));

        JsonPath down = awaitFinal(request("{\"target\":\"down\",\"kind\":\"manual\"}"));
        assertEquals("FAILED", down.getString("phase"));
        assertTrue(down.getString("failureReason").contains("refused"), down.prettify());

        try (S3Client s3 = BackupTesting.s3()) {
            for (String target : List.of("wrong-password", "down")) {
                assertEquals(List.of(), keysUnder(s3, "backups/" + target + "/"));
                assertEquals(List.of(), openUploads(s3, "backups/" + target + "/"));
            }
        }
        ai.loopgpt.dr.testing.Management.given().when().get("/q/metrics").then()
                .body(containsString("dr_backup_failures_total{reason=\"target\",target=\"down\"}"));
    }

    @Test
    void twoConcurrentRequestsForOneTargetRunOneAndRefuseTheOther() throws Exception {
        String body = "{\"target\":\"big\",\"kind\":\"manual\"}";
        var first = CompletableFuture.supplyAsync(() -> post(body));
        var second = CompletableFuture.supplyAsync(() -> post(body));
        List<io.restassured.response.Response> responses = List.of(first.get(), second.get());
        List<Integer> statuses = new ArrayList<>(responses.stream().map(r -> r.statusCode()).sorted().toList());
        assertEquals(List.of(202, 409), statuses);
        var accepted = responses.stream().filter(r -> r.statusCode() == 202).findFirst().orElseThrow();
        var refused = responses.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        assertEquals("application/problem+json", refused.contentType());
        String runningId = accepted.path("id");
        assertTrue(refused.path("detail").toString().contains(runningId), refused.asString());
        JsonPath done = awaitFinal(runningId);
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        assertTrue(done.getLong("sizeBytes") > 5L * 1024 * 1024, "several upload parts: " + done.getLong("sizeBytes"));
    }

    private static io.restassured.response.Response post(String body) {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/backups");
    }

    @Test
    void badRequestsAreProblemsAndStartNothing() {
        long before = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups").then()
                .extract().jsonPath().getLong("total");
        problem(Tokens.operator(), "{\"target\":\"nope\",\"kind\":\"manual\"}", 400, "loopgpt");
        problem(Tokens.operator(), "{\"target\":\"loopgpt\",\"kind\":\"weekly\"}", 400, "pre-change");
        problem(Tokens.operator(), "{\"target\":\"loopgpt\",", 400, "not valid JSON");
        problem(Tokens.operator(), "{\"target\":\"loopgpt\",\"kind\":\"manual\",\"jobs\":4}", 400, "directory");
        problem(Tokens.viewer(), "{\"target\":\"loopgpt\",\"kind\":\"manual\"}", 403, "roles");
        problem(Tokens.service(), "{\"target\":\"loopgpt\",\"kind\":\"manual\"}", 403, "dr-operator");
        given().contentType(ContentType.JSON).body("{\"target\":\"loopgpt\",\"kind\":\"manual\"}")
                .when().post("/api/v1/backups").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + UUID.randomUUID()).then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.viewer()).queryParam("kind", "weekly").when().get("/api/v1/backups").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups").then()
                .body("total", equalTo((int) before));
    }

    private static void problem(String token, String body, int status, String detail) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/backups").then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("detail", containsString(detail))
                .body(not(containsString("Exception")));
    }

    @Test
    void aServiceTakesAutomaticBackupsAndAnAdminDownloadsThem() throws Exception {
        String id = given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"target\":\"loopgpt\",\"kind\":\"automatic\",\"compression\":\"zstd\"}")
                .when().post("/api/v1/backups").then().statusCode(202).extract().path("id");
        JsonPath backup = awaitFinal(id);
        assertEquals("SUCCEEDED", backup.getString("phase"));
        assertTrue(backup.getString("objectKey").endsWith(".sql.zst"));
        assertEquals("automatic", backup.getString("retentionClass"));

        given().auth().oauth2(Tokens.operator()).when().get("/api/v1/backups/" + id + "/download").then().statusCode(403);
        String url = given().auth().oauth2(Tokens.admin()).when().get("/api/v1/backups/" + id + "/download").then()
                .statusCode(200).extract().path("url");
        HttpResponse<byte[]> object = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, object.statusCode());
        assertEquals(backup.getString("sha256"), HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(object.body())));
    }

    @Test
    void theParallelFormatsRestoreWithPgRestore() throws Exception {
        for (String request : List.of(
                "{\"target\":\"loopgpt\",\"kind\":\"manual\",\"format\":\"custom\",\"compression\":\"zstd\"}",
                "{\"target\":\"loopgpt\",\"kind\":\"manual\",\"format\":\"directory\",\"jobs\":2,\"compression\":\"gzip\"}")) {
            JsonPath backup = awaitFinal(request(request));
            assertEquals("SUCCEEDED", backup.getString("phase"), backup.prettify());
            String database = emptyDatabase();
            String restore = backup.getString("restore");
            try (S3Client s3 = BackupTesting.s3()) {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/restore")), "fmt").toAbsolutePath();
                Path file = download(s3, backup.getString("objectKey"), dir);
                String decompress = backup.getString("compression").equals("zstd") ? "zstd -dc" : "gunzip -c";
                String pgRestore = "pg_restore --no-owner --jobs 2 -h 127.0.0.1 -p " + PostgresResource.server().port()
                        + " -U postgres --dbname " + database;
                if (backup.getString("format").equals("custom")) {
                    assertTrue(restore.contains("pg_restore"), restore);
                    sh("cd " + dir + " && " + decompress + " " + file + " > backup.dump && " + pgRestore + " backup.dump");
                } else {
                    assertTrue(restore.contains("tar -x"), restore);
                    // The table of contents first, then the data files: a restore can start while the rows stream in.
                    List<String> entries = List.of(sh("cd " + dir + " && " + decompress + " " + file + " | tar -t").split("\n"));
                    assertEquals(List.of("dump/", "dump/toc.dat"), entries.subList(0, 2), entries.toString());
                    assertTrue(entries.subList(2, entries.size()).stream().allMatch(e -> e.matches("dump/\\d+\\.dat")),
                            entries.toString());
                    sh("cd " + dir + " && " + decompress + " " + file + " | tar -x && " + pgRestore + " --format directory dump");
                }
            }
            Map<String, Object> manifestRows = backup.getMap("tableRows");
            Map<String, Long> expected = new TreeMap<>();
            manifestRows.forEach((k, v) -> expected.put(k, ((Number) v).longValue()));
            assertEquals(expected, new TreeMap<>(rowCounts(database, expected.keySet())));
        }
    }

    @Test
    void aDumpBlockedByAnExclusiveLockFailsAfterTheLockWaitTimeoutAndFreesTheTarget() throws Exception {
        try (Connection migration = PostgresResource.server().connect("loopgpt"); Statement s = migration.createStatement()) {
            migration.setAutoCommit(false);
            // What a migration holds while it rewrites a table.
            s.execute("LOCK TABLE public.orders IN ACCESS EXCLUSIVE MODE");
            JsonPath blocked = awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"manual\"}"));
            assertEquals("FAILED", blocked.getString("phase"), blocked.prettify());
            assertTrue(blocked.getString("failureReason").contains("stayed locked longer than backup.lock-wait-timeout"),
                    blocked.prettify());
            migration.rollback();
        }
        JsonPath next = awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"manual\"}"));
        assertEquals("SUCCEEDED", next.getString("phase"), next.prettify());
    }

    @Test
    void aBackupLeftRunningByADeadProcessIsMarkedFailed() throws Exception {
        UUID orphan = UUID.randomUUID();
        try (Connection c = PostgresResource.server().connect(PostgresResource.SERVICE_DATABASE);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO backup.backup (id, target, kind, format, compression, phase, requested_by, created_at,"
                    + " started_at) VALUES ('" + orphan + "', 'wrong-password', 'manual', 'plain', 'gzip', 'RUNNING',"
                    + " 'someone', now(), now())");
        }
        backups.reap();
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + orphan).then()
                .body("phase", equalTo("FAILED"))
                .body("failureReason", containsString("Interrupted"));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(digest.digest());
    }
}
