package ai.loopgpt.dr.backup;

import static ai.loopgpt.dr.backup.BackupTesting.awaitFinal;
import static ai.loopgpt.dr.backup.BackupTesting.keysUnder;
import static ai.loopgpt.dr.backup.BackupTesting.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.MovableClock;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Retention deletes what has expired from the bucket, and keeps what it promises to keep. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
class RetentionTest {

    @AfterEach
    void realTime() {
        MovableClock.INSTANCE.reset();
    }

    private static JsonPath backup(String reason) {
        JsonPath b = awaitFinal(request("{\"target\":\"loopgpt\",\"kind\":\"automatic\",\"reason\":\"" + reason + "\"}"));
        assertEquals("SUCCEEDED", b.getString("phase"), b.prettify());
        return b;
    }

    private static List<String> bucket() {
        try (S3Client s3 = BackupTesting.s3()) {
            return keysUnder(s3, "backups/loopgpt/");
        }
    }

    @Test
    void expiredBackupsLeaveTheBucketPinnedAndNewestStay() {
        JsonPath pinned = backup("to pin");
        JsonPath expiring = backup("to expire");
        JsonPath newest = backup("the newest");
        for (JsonPath b : List.of(pinned, expiring, newest)) {
            assertTrue(bucket().containsAll(List.of(b.getString("objectKey"), b.getString("manifestKey"))));
        }
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"reason\":\"legal hold INC-42\"}")
                .when().post("/api/v1/backups/" + pinned.getString("id") + "/pin").then().statusCode(200)
                .body("pin.reason", equalTo("legal hold INC-42"));

        // Eight days on: past the 7-day retention of automatic backups.
        MovableClock.INSTANCE.advance(Duration.ofDays(8));
        JsonPath sweep = given().auth().oauth2(Tokens.admin()).when().post("/api/v1/retention/sweep").then()
                .statusCode(200).extract().jsonPath();
        assertTrue(sweep.getList("expired").contains(expiring.getString("id")), sweep.prettify());
        assertTrue(sweep.getList("kept.id").containsAll(List.of(pinned.getString("id"), newest.getString("id"))),
                sweep.prettify());

        List<String> left = bucket();
        assertFalse(left.contains(expiring.getString("objectKey")), "the expired object is deleted");
        assertFalse(left.contains(expiring.getString("manifestKey")), "and its manifest");
        assertTrue(left.containsAll(List.of(pinned.getString("objectKey"), newest.getString("objectKey"))));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/backups/" + expiring.getString("id")).then()
                .statusCode(200).body("phase", equalTo("EXPIRED")).body("expired.by", equalTo("admin@loopgpt.test"))
                .body("objectKey", equalTo(null));
        given().auth().oauth2(Tokens.viewer()).queryParam("status", "SUCCEEDED").queryParam("target", "loopgpt")
                .queryParam("size", 500).when().get("/api/v1/backups").then().statusCode(200)
                .body("items.id", not(hasItem(expiring.getString("id"))));

        // Early deletes: refused for the pinned one and the newest good one, allowed once unpinned.
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/backups/" + pinned.getString("id")).then()
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("pinned"));
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/backups/" + newest.getString("id")).then()
                .statusCode(409).body("detail", containsString("newest good backup"));
        given().auth().oauth2(Tokens.operator()).when().delete("/api/v1/backups/" + pinned.getString("id")).then()
                .statusCode(403);
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/backups/" + pinned.getString("id") + "/pin").then()
                .statusCode(200);
        given().auth().oauth2(Tokens.admin()).queryParam("reason", "hold lifted").when()
                .delete("/api/v1/backups/" + pinned.getString("id")).then().statusCode(200)
                .body("phase", equalTo("EXPIRED")).body("expired.reason", equalTo("hold lifted"));
        assertFalse(bucket().contains(pinned.getString("objectKey")));
        assertTrue(bucket().contains(newest.getString("objectKey")), "the newest good backup stays, whatever its age");
        // A second sweep finds nothing more to do for these.
        given().auth().oauth2(Tokens.admin()).when().post("/api/v1/retention/sweep").then().statusCode(200)
                .body("expired", not(hasItem(pinned.getString("id"))));
    }

    @Test
    void pinningNeedsAReasonAndAKnownSucceededBackup() {
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .when().post("/api/v1/backups/" + java.util.UUID.randomUUID() + "/pin").then().statusCode(404)
                .contentType("application/problem+json");
        JsonPath b = backup("pin without reason");
        given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/backups/" + b.getString("id") + "/pin").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("reason"));
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/backups/" + b.getString("id") + "/pin").then()
                .statusCode(409).body("detail", containsString("not pinned"));
    }
}
