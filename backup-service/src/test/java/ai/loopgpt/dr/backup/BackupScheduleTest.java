package ai.loopgpt.dr.backup;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The Quarkus scheduler takes automatic backups on each target's cron. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(SampleTargetResource.class)
@WithTestResource(BackupScheduleTest.EveryFewSeconds.class)
class BackupScheduleTest {

    /** Schedules on; the sample target every 3 seconds, the others never within the test. */
    public static class EveryFewSeconds implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of(
                    "backup.schedule.enabled", "true",
                    "backup.schedule.cron", "0 0 0 1 1 ? 2099",
                    "backup.targets.\"loopgpt\".schedule", "*/3 * * * * ?");
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void theSchedulerTakesAutomaticBackupsOnTheTargetsCron() {
        JsonPath page = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().auth().oauth2(Tokens.viewer())
                                .queryParam("target", "loopgpt").queryParam("status", "SUCCEEDED")
                                .queryParam("kind", "automatic")
                                .when().get("/api/v1/backups").then().statusCode(200).extract().jsonPath(),
                        json -> json.getInt("total") >= 1);
        assertEquals("scheduler", page.getString("items[0].requestedBy"));
        assertEquals("automatic", page.getString("items[0].retentionClass"));
        assertEquals(0, given().auth().oauth2(Tokens.viewer()).queryParam("target", "big")
                .when().get("/api/v1/backups").then().extract().jsonPath().getInt("total"));
    }
}
