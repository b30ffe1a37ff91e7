package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ai.loopgpt.dr.embedded.EmbeddedPostgres;
import ai.loopgpt.dr.status.page.PageSnapshot;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database stopped under a running service: the public side keeps answering from its snapshot. */
@QuarkusTest
@WithTestResource(DatabaseDownTest.OwnPostgres.class)
@WithTestResource(JwtResource.class)
class DatabaseDownTest {

    /** A PostgreSQL of this test's own, so that stopping it disturbs no other test. */
    public static class OwnPostgres implements QuarkusTestResourceLifecycleManager {
        static EmbeddedPostgres server;

        @Override
        public Map<String, String> start() {
            server = EmbeddedPostgres.startTransient();
            server.ensureDatabase("status_down", "dr", "down-test");
            return Map.of("quarkus.datasource.jdbc.url", server.jdbcUrl("status_down"),
                    "quarkus.datasource.username", "dr", "quarkus.datasource.password", "down-test");
        }

        @Override
        public void stop() {
            if (server != null) {
                try {
                    server.close();
                } catch (RuntimeException alreadyStopped) {
                    // The test stopped it.
                }
            }
        }
    }

    @Inject
    PageSnapshot snapshot;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL page;

    @Test
    void thePublicSideKeepsServingTheLastSnapshot() throws Exception {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Shipt delays\",\"status\":\"identified\",\"impact\":\"minor\",\"body\":\"Slow orders.\","
                        + "\"components\":{\"shipt\":\"degraded_performance\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201);

        ai.loopgpt.dr.testing.Management.given().when().get("/q/health/group/database").then().statusCode(200);
        ai.loopgpt.dr.testing.Management.given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("dr_status_database_up 1.0"));
        snapshot.rebuild();
        String updatedBefore = given().when().get("/api/v2/summary.json").then().statusCode(200)
                .extract().path("page.updated_at");

        OwnPostgres.server.close();
        snapshot.rebuild();
        Thread.sleep(1100);

        // The last snapshot, dated by its last change (not by this request) and with its age said.
        given().when().get("/api/v2/summary.json").then()
                .statusCode(200)
                .header("X-Snapshot-Age", org.hamcrest.Matchers.not("0"))
                .body("page.updated_at", equalTo(updatedBefore))
                .body("status.indicator", equalTo("minor"))
                .body("incidents[0].name", equalTo("Shipt delays"));
        given().when().get("/api/v2/status.json").then().statusCode(200);
        // Still ready: the page stays in the Service; the database's own check says what is wrong.
        ai.loopgpt.dr.testing.Management.given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Public page snapshot' }.status", equalTo("UP"));
        ai.loopgpt.dr.testing.Management.given().when().get("/q/health/group/database").then().statusCode(503)
                .body("checks[0].status", equalTo("DOWN"));
        // The metric follows the check (each run of it, and one every 10 s).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                    ai.loopgpt.dr.testing.Management.given().when().get("/q/health/group/database");
                    return ai.loopgpt.dr.testing.Management.given().when().get("/q/metrics").asString()
                            .contains("dr_status_database_up 0.0");
                });
        given().accept(ContentType.HTML).when().get("/").then()
                .statusCode(200)
                .body(containsString("Shipt delays"));
        // And a real browser loads it, its security policy included.
        try (ai.loopgpt.dr.testing.HeadlessChromium browser = ai.loopgpt.dr.testing.HeadlessChromium.start(1200, 1600)) {
            browser.open(page.toString());
            org.junit.jupiter.api.Assertions.assertEquals("Minor Service Outage", browser.text("#banner"));
            org.junit.jupiter.api.Assertions.assertTrue(browser.text("article.incident h3").contains("Shipt delays"));
        }
    }

}
