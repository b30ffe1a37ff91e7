package ai.loopgpt.dr.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import ai.loopgpt.dr.recovery.restore.DestinationsResource;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
// The restore tests' resources too, so that this class runs in their Quarkus application instead of booting one.
@WithTestResource(BackupServiceResource.class)
@WithTestResource(DestinationsResource.class)
class IncidentResourceTest {

    @Test
    void anOperatorDeclaresAndResolvesAnIncident() {
        var created = given().auth().oauth2(Tokens.as("ic@loopgpt.test", "dr-operator")).contentType(ContentType.JSON)
                .body("{\"title\":\"Shipt API down\",\"scenario\":\"provider-outage\",\"severity\":\"MINOR\"}")
                .when().post("/api/v1/incidents").then()
                .statusCode(201)
                .header("Location", notNullValue())
                .body("scenario", equalTo("provider-outage"))
                .body("scenarioTitle", equalTo("Provider API outage"))
                .body("status", equalTo("OPEN"))
                .body("declaredBy", equalTo("ic@loopgpt.test"))
                .extract();
        String id = created.path("id");
        given().auth().oauth2(Tokens.viewer()).when().get(created.header("Location")).then()
                .statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(Tokens.viewer()).queryParam("status", "OPEN").when().get("/api/v1/incidents").then()
                .statusCode(200).body("items.id", hasItem(id));

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .when().post("/api/v1/incidents/" + id + "/resolve").then()
                .statusCode(200).body("status", equalTo("RESOLVED")).body("resolvedAt", notNullValue());
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .when().post("/api/v1/incidents/" + id + "/resolve").then()
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("already resolved"));
    }

    @Test
    void badDeclarationsAreProblemsAndStoreNothing() {
        long before = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents").then()
                .extract().jsonPath().getLong("total");
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"scenario\":\"alien-invasion\",\"severity\":\"MAJOR\"}")
                .when().post("/api/v1/incidents").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("data-breach"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\" \",\"scenario\":\"data-breach\"}")
                .when().post("/api/v1/incidents").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("title"))
                .body("errors.field", hasItem("severity"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/not-a-uuid").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents").then()
                .body("total", equalTo((int) before));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + java.util.UUID.randomUUID()).then()
                .statusCode(404).body("detail", endsWith("'."));
    }

    @Test
    void timesOutsideTheYears1To9999AreRefused() {
        for (String extreme : java.util.List.of("0000-06-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"title\":\"Old\",\"scenario\":\"database-failure\",\"severity\":\"MINOR\",\"startedAt\":\""
                            + extreme + "\"}")
                    .when().post("/api/v1/incidents").then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void postmortemActionItemsAreListedOpenOrOverdueAndClosedOnce() {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Orders slow\",\"scenario\":\"database-failure\",\"severity\":\"MINOR\"}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .when().post("/api/v1/incidents/" + id + "/resolve").then().statusCode(200);
        String late = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"description\":\"Alert on replication lag\",\"owner\":\"alice\",\"dueDate\":\"2001-01-01\"}")
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions").then().statusCode(201).extract().path("id");
        String later = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"description\":\"Rehearse the restore\",\"owner\":\"bob\",\"dueDate\":\"2999-01-01\"}")
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/postmortem/actions").then()
                .statusCode(200)
                .body("find { it.id == '" + late + "' }.state", equalTo("overdue"))
                .body("find { it.id == '" + later + "' }.state", equalTo("open"));

        given().auth().oauth2(Tokens.as("alice@loopgpt.test", "dr-operator")).contentType(ContentType.JSON)
                .body("{\"note\":\"alert added\"}")
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions/" + late + "/done").then()
                .statusCode(200).body("state", equalTo("done")).body("doneBy", equalTo("alice@loopgpt.test"))
                .body("doneNote", equalTo("alert added")).body("doneAt", notNullValue());
        given().auth().oauth2(Tokens.operator())
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions/" + late + "/done").then()
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("alice@loopgpt.test"));
        given().auth().oauth2(Tokens.operator())
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions/" + later + "/done").then()
                .statusCode(200).body("state", equalTo("done"));
        given().auth().oauth2(Tokens.operator())
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions/" + java.util.UUID.randomUUID() + "/done").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.viewer())
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions/" + later + "/done").then().statusCode(403);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"description\":\"<img src=x onerror=alert(1)> [x](javascript:alert(1)) <!--\",\"owner\":\"<b>eve</b>\","
                        + "\"dueDate\":\"2999-01-01\"}")
                .when().post("/api/v1/incidents/" + id + "/postmortem/actions").then().statusCode(201);
        String report = given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/incidents/" + id + "/postmortem").then()
                .statusCode(200).body(containsString("| Alert on replication lag | alice | 2001-01-01 | done ")).extract().asString();
        // What a caller wrote is inert in the Markdown: no HTML, no link, no comment.
        org.junit.jupiter.api.Assertions.assertTrue(report.contains(
                "\\<img src=x onerror=alert\\(1\\)\\> \\[x\\]\\(javascript:alert\\(1\\)\\) \\<\\!--"), report);
        org.junit.jupiter.api.Assertions.assertFalse(report.matches("(?s).*(?<!\\\\)<(img|b|!--).*"), report);
    }

    @Test
    void selfCheckNamesTheWiresNotConnected() {
        given().auth().oauth2(Tokens.service()).when().get("/api/v1/self-check").then().statusCode(200)
                .body("service", equalTo("recovery-service"))
                .body("ok", equalTo(false))
                .body("checks.find { it.name.startsWith('S3 bucket') }.ok", equalTo(true))
                .body("checks.find { it.name.startsWith('status-service') }.ok", equalTo(false))
                .body("checks.find { it.name.startsWith('status-service') }.fix",
                        containsString("recovery.communication.status-url"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/destinations").then().statusCode(200);
        given().when().get("/api/v1/destinations").then().statusCode(401);
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void concurrentResolutionsResolveOnceAndMeasureOnce() throws Exception {
        double rtoBefore = rtoSamples("provider-outage");
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"title\":\"Instacart down\",\"scenario\":\"provider-outage\",\"severity\":\"MINOR\"}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                        .when().post("/api/v1/incidents/" + id + "/resolve").then().extract().statusCode()));
            }
            java.util.List<Integer> statuses = new java.util.ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get());
            }
            java.util.Collections.sort(statuses);
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(200, 409, 409, 409, 409, 409), statuses);

            java.util.List<java.util.concurrent.Future<Integer>> completions = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                completions.add(pool.submit(() -> given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                        .body("{\"summary\":\"Failed over to Shipt\"}")
                        .when().post("/api/v1/incidents/" + id + "/postmortem/complete").then().extract().statusCode()));
            }
            statuses.clear();
            for (var answer : completions) {
                statuses.add(answer.get());
            }
            java.util.Collections.sort(statuses);
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(200, 409, 409, 409, 409, 409), statuses);
        } finally {
            pool.shutdownNow();
        }
        org.junit.jupiter.api.Assertions.assertEquals(rtoBefore + 1, rtoSamples("provider-outage"), "one RTO sample");
    }

    private double rtoSamples(String scenario) {
        var timer = registry.find("dr.incident.rto").tag("scenario", scenario).timer();
        return timer == null ? 0 : timer.count();
    }
}
