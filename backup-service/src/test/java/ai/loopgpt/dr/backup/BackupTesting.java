package ai.loopgpt.dr.backup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the backup tests share: asking for backups, waiting for them, and looking in the bucket as a user would. */
final class BackupTesting {

    private BackupTesting() {
    }

    /** An S3 client of our own, as an operator following the plan's runbook would use. */
    static S3Client s3(String endpoint) {
        EmbeddedS3 server = S3Resource.server();
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(EmbeddedS3.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static S3Client s3() {
        return s3(S3Resource.server().endpoint());
    }

    static List<String> keysUnder(S3Client s3, String prefix) {
        return s3.listObjectsV2(b -> b.bucket(S3Resource.BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    static List<String> openUploads(S3Client s3, String prefix) {
        return s3.listMultipartUploads(b -> b.bucket(S3Resource.BUCKET).prefix(prefix)).uploads().stream()
                .map(u -> u.key()).toList();
    }

    /** Asks for a backup and returns its id (202 expected). */
    static String request(String body) {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/backups").then()
                .statusCode(202)
                .extract().path("id");
    }

    /** Waits until backup {@code id} has left PENDING and RUNNING, and returns it. */
    static JsonPath awaitFinal(String id) {
        return JobPolling.awaitPhase(JobPolling.underTest("/api/v1/backups/" + id), Tokens.viewer(), JobPolling.ENDED,
                Duration.ofMinutes(3), Duration.ofMillis(200));
    }

    /** Creates an empty database on the test server and returns its name. */
    static String emptyDatabase() throws Exception {
        String name = "restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = PostgresResource.server().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** Runs a shell pipeline (test-only), failing with its output if it fails; returns its output. */
    static String sh(String pipeline) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", pipeline).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), pipeline + "\n" + out);
        return out;
    }

    static String psql(String database) {
        return "psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " + PostgresResource.server().port()
                + " -U postgres -d " + database;
    }

    /** Row counts of {@code tables} in {@code database}. */
    static Map<String, Long> rowCounts(String database, Iterable<String> tables) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
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

    static Path download(S3Client s3, String key, Path dir) throws IOException {
        Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
        Files.deleteIfExists(file);
        s3.getObject(b -> b.bucket(S3Resource.BUCKET).key(key), file);
        return file;
    }
}
