package ai.loopgpt.dr.backup;

import static ai.loopgpt.dr.backup.BackupTesting.awaitFinal;
import static ai.loopgpt.dr.backup.BackupTesting.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Integrity drills read the stored backup back and catch what a restore would trip on. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
class IntegrityDrillTest {

    private static JsonPath backup(String format) {
        JsonPath b = awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"manual\",\"format\":\"" + format
                + "\",\"reason\":\"verify me\"}"));
        assertEquals("SUCCEEDED", b.getString("phase"), b.prettify());
        return b;
    }

    private static JsonPath verify(String backupId) {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"type\":\"integrity\",\"target\":\"loopgpt\",\"backupId\":\"" + backupId + "\"}")
                .when().post("/api/v1/drills").then().statusCode(202)
                .header("Location", containsString("/api/v1/drills/")).extract().path("id");
        return JobPolling.awaitPhase(JobPolling.underTest("/api/v1/drills/" + id), Tokens.viewer(), JobPolling.ENDED,
                Duration.ofMinutes(2), Duration.ofMillis(200));
    }

    @Test
    void aGoodBackupPassesAndRecordsItsEvidence() {
        for (String format : List.of("plain", "custom", "directory")) {
            JsonPath b = backup(format);
            JsonPath drill = verify(b.getString("id"));
            assertEquals("SUCCEEDED", drill.getString("phase"), drill.prettify());
            assertEquals(b.getString("sha256"), drill.getString("evidence.sha256"));
            assertEquals(b.getLong("sizeBytes"), drill.getLong("evidence.sizeBytes"));
            given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + b.getString("id")).then()
                    .statusCode(200).body("verification.result", equalTo("PASSED"));
        }
    }

    @Test
    void anAlteredObjectFailsOnItsChecksumAndACutShortDumpAsIncomplete() throws Exception {
        JsonPath altered = backup("plain");
        try (S3Client s3 = BackupTesting.s3()) {
            byte[] object = s3.getObjectAsBytes(g -> g.bucket(S3Resource.BUCKET).key(altered.getString("objectKey")))
                    .asByteArray();
            object[object.length / 2] ^= 0x5a;
            s3.putObject(p -> p.bucket(S3Resource.BUCKET).key(altered.getString("objectKey")), RequestBody.fromBytes(object));
        }
        JsonPath failed = verify(altered.getString("id"));
        assertEquals("FAILED", failed.getString("phase"));
        assertTrue(failed.getString("failureReason").contains("Checksum mismatch"), failed.getString("failureReason"));
        assertTrue(failed.getString("failureReason").contains(altered.getString("sha256")), failed.getString("failureReason"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + altered.getString("id")).then()
                .statusCode(200).body("verification.result", equalTo("FAILED"))
                .body("verification.reason", containsString("Checksum mismatch"));

        // A dump cut in half, compressed again, with a manifest that matches it: only the content tells.
        JsonPath cut = backup("plain");
        try (S3Client s3 = BackupTesting.s3()) {
            byte[] object = s3.getObjectAsBytes(g -> g.bucket(S3Resource.BUCKET).key(cut.getString("objectKey")))
                    .asByteArray();
            byte[] sql = new GZIPInputStream(new ByteArrayInputStream(object)).readAllBytes();
            ByteArrayOutputStream shorter = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(shorter)) {
                gz.write(sql, 0, sql.length / 2);
            }
            byte[] replaced = shorter.toByteArray();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(replaced));
            String manifest = s3.getObjectAsBytes(g -> g.bucket(S3Resource.BUCKET).key(cut.getString("manifestKey")))
                    .asUtf8String().replace(cut.getString("sha256"), sha)
                    .replaceFirst("\"sizeBytes\" : \\d+", "\"sizeBytes\" : " + replaced.length);
            assertTrue(manifest.contains(sha) && manifest.contains("\"sizeBytes\" : " + replaced.length), manifest);
            s3.putObject(p -> p.bucket(S3Resource.BUCKET).key(cut.getString("objectKey")), RequestBody.fromBytes(replaced));
            s3.putObject(p -> p.bucket(S3Resource.BUCKET).key(cut.getString("manifestKey")), RequestBody.fromString(manifest));
        }
        JsonPath incomplete = verify(cut.getString("id"));
        assertEquals("FAILED", incomplete.getString("phase"), incomplete.prettify());
        assertTrue(incomplete.getString("failureReason").startsWith("Incomplete dump"), incomplete.getString("failureReason"));
        assertEquals(false, incomplete.getBoolean("evidence.completionLine"));

        String report = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/drills/report").then().statusCode(200)
                .extract().asString();
        assertTrue(report.contains("### Integrity verifications"), report);
        assertTrue(report.contains(cut.getString("id")), report);
        assertTrue(report.contains("Incomplete dump"), report);
        // Game days are recovery-service's, which this application is not given.
        assertTrue(report.endsWith("\n## Game days\n\nGame days are run by recovery-service, which is not configured "
                + "here: set backup.drills.recovery-url and backup.drills.recovery-token.\n"), report);
    }

    @Test
    void badDrillRequestsAreProblemsAndAudited() {
        String actor = "drill-" + UUID.randomUUID() + "@loopgpt.test";
        String token = Tokens.as(actor, "dr-operator");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"type\":\"chaos\",\"target\":\"loopgpt\"}")
                .when().post("/api/v1/drills").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("integrity"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"type\":\"integrity\",\"target\":\"nowhere\"}")
                .when().post("/api/v1/drills").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("Unknown target"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"type\":\"integrity\",\"target\":\"loopgpt\",\"backupId\":\"" + UUID.randomUUID() + "\"}")
                .when().post("/api/v1/drills").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"type\":\"restore\",\"target\":\"loopgpt\"}")
                .when().post("/api/v1/drills").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("recovery-url"));
        // An id of NULs (or blanks) is no id, not "the newest backup".
        for (String notAnId : java.util.List.of("\\u0000", "   ", "")) {
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"type\":\"integrity\",\"target\":\"loopgpt\",\"backupId\":\"" + notAnId + "\"}")
                    .when().post("/api/v1/drills").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("backupId"));
        }
        given().auth().oauth2(Tokens.viewer()).queryParam("actor", actor).when().get("/api/v1/audit").then()
                .statusCode(200).body("total", equalTo(7));
    }
}
