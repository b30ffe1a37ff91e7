package ai.loopgpt.dr.backup;

import static ai.loopgpt.dr.backup.BackupTesting.awaitFinal;
import static ai.loopgpt.dr.backup.BackupTesting.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Rebuilding the catalog from the bucket never forgets a backup because S3 failed: only a backup whose
 * manifest S3 says is gone (404) leaves the catalog.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(FaultyS3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
class CatalogRebuildTest {

    @Test
    void s3FailingMidWayRemovesNothingAndADeletedManifestRemovesExactlyThatBackup() throws Exception {
        List<JsonPath> taken = List.of(
                awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"manual\"}")),
                awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"manual\"}")),
                awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"manual\"}")));
        taken.forEach(b -> assertEquals("SUCCEEDED", b.getString("phase"), b.prettify()));
        Set<String> before = succeeded();
        assertTrue(before.size() >= 3, before.toString());

        // The listing goes through; S3 drops the connection while the manifests are being read.
        FaultyS3Resource.proxy.failAfter(2500);
        given().auth().oauth2(Tokens.admin()).when().post("/api/v1/catalog/rebuild").then()
                .statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("the catalog was left as it was"));
        assertTrue(FaultyS3Resource.proxy.isDown(), "S3 failed during the rebuild");
        FaultyS3Resource.proxy.heal();
        assertEquals(before, succeeded(), "nothing removed while S3 failed");

        String gone = taken.get(1).getString("id");
        try (S3Client s3 = BackupTesting.s3()) {
            s3.deleteObject(b -> b.bucket(S3Resource.BUCKET).key(taken.get(1).getString("manifestKey")));
        }
        given().auth().oauth2(Tokens.admin()).when().post("/api/v1/catalog/rebuild").then()
                .statusCode(200).body("removed", equalTo(1)).body("unverified.size()", equalTo(0));
        Set<String> expected = new HashSet<>(before);
        expected.remove(gone);
        assertEquals(expected, succeeded());
    }

    private static Set<String> succeeded() {
        return new HashSet<>(given().auth().oauth2(Tokens.viewer()).queryParam("status", "SUCCEEDED")
                .queryParam("size", 500).when().get("/api/v1/backups").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class));
    }
}
