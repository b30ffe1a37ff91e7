package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.loopgpt.dr.status.service.PublicIncidentService;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public Statuspage v2 API: paths, field names and enums as Statuspage's, fed by the admin API. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class PublicApiTest {

    static final List<String> COMPONENT_STATUSES = List.of("operational", "degraded_performance", "partial_outage",
            "major_outage", "under_maintenance");
    static final List<String> INCIDENT_STATUSES = List.of("investigating", "identified", "monitoring", "resolved",
            "postmortem");
    static final List<String> MAINTENANCE_STATUSES = List.of("scheduled", "in_progress", "verifying", "completed");

    @Inject
    PublicIncidentService incidents;

    static JsonPath v2(String document) {
        return given().when().get("/api/v2/" + document).then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .header("Cache-Control", containsString("max-age"))
                .header("ETag", notNullValue())
                .body("page.id", equalTo("loopgpt"))
                .body("page.name", equalTo("LoopGPT"))
                .body("page.url", equalTo("https://status.loopgpt.ai"))
                .body("page", hasKey("time_zone"))
                .body("page.updated_at", notNullValue())
                .extract().jsonPath();
    }

    @Test
    void everyDocumentIsPublicWithStatuspagesShape() {
        JsonPath summary = v2("summary.json");
        assertEquals(List.of("page", "components", "incidents", "scheduled_maintenances", "status"),
                List.copyOf(summary.getMap("").keySet()));
        given().when().get("/api/v2/summary.json").then()
                .body("status.indicator", in(List.of("none", "minor", "major", "critical")))
                .body("components.status", everyItem(in(COMPONENT_STATUSES)))
                .body("components[0]", hasKey("only_show_if_degraded"))
                .body("components[0]", hasKey("group_id"))
                .body("components.find { it.id == 'group-providers' }.group", equalTo(true))
                .body("components.find { it.id == 'group-providers' }.components", contains("instacart", "shipt"))
                .body("components.find { it.id == 'shipt' }.group_id", equalTo("group-providers"));
        v2("status.json");
        v2("components.json");
        v2("incidents.json");
        v2("incidents/unresolved.json");
        v2("scheduled-maintenances.json");
        v2("scheduled-maintenances/upcoming.json");
        v2("scheduled-maintenances/active.json");
    }

    @Test
    void anIncidentAndItsUpdatesAppearAsStatuspageShowsThem() {
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Orders failing\",\"status\":\"investigating\",\"impact\":\"major\","
                        + "\"body\":\"We are investigating failed orders.\",\"components\":{\"orders\":\"major_outage\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");

        JsonPath summary = v2("summary.json");
        assertEquals("critical", summary.getString("status.indicator"));
        assertEquals("Major Service Outage", summary.getString("status.description"));
        given().when().get("/api/v2/incidents/unresolved.json").then()
                .body("incidents.id", hasItem(id))
                .body("incidents.find { it.id == '" + id + "' }.impact", equalTo("major"))
                .body("incidents.find { it.id == '" + id + "' }.status", equalTo("investigating"))
                .body("incidents.find { it.id == '" + id + "' }.shortlink", equalTo("https://status.loopgpt.ai/incidents/" + id))
                .body("incidents.find { it.id == '" + id + "' }.incident_updates[0].affected_components[0].code", equalTo("orders"))
                .body("incidents.find { it.id == '" + id + "' }.incident_updates[0].affected_components[0].name", equalTo("Orders"))
                .body("incidents.find { it.id == '" + id + "' }.incident_updates[0].affected_components[0].old_status", equalTo("operational"))
                .body("incidents.find { it.id == '" + id + "' }.incident_updates[0].affected_components[0].new_status", equalTo("major_outage"))
                .body("incidents.find { it.id == '" + id + "' }.incident_updates[0]", hasKey("display_at"));
        given().when().get("/api/v2/components.json").then()
                .body("components.find { it.id == 'orders' }.status", equalTo("major_outage"));

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"identified\",\"body\":\"A bad deploy; rolling back.\",\"components\":{\"orders\":\"partial_outage\"}}")
                .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"resolved\",\"body\":\"Orders work again.\"}")
                .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);

        given().when().get("/api/v2/incidents/unresolved.json").then().body("incidents.id", not(hasItem(id)));
        given().when().get("/api/v2/incidents.json").then()
                .body("incidents.find { it.id == '" + id + "' }.status", equalTo("resolved"))
                .body("incidents.find { it.id == '" + id + "' }.resolved_at", notNullValue())
                .body("incidents.find { it.id == '" + id + "' }.incident_updates.status",
                        contains("resolved", "identified", "investigating"))
                .body("incidents.status", everyItem(in(INCIDENT_STATUSES)));
        given().when().get("/api/v2/components.json").then()
                .body("components.find { it.id == 'orders' }.status", equalTo("operational"));
    }

    @Test
    void documentsCarryAnEtagThatChangesWithThePage() {
        String etag = given().when().get("/api/v2/status.json").then().extract().header("ETag");
        given().header("If-None-Match", etag).when().get("/api/v2/status.json").then().statusCode(304);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"degraded_performance\"}")
                .when().put("/api/v1/components/dns/status").then().statusCode(200);
        String changed = given().when().get("/api/v2/status.json").then().statusCode(200).extract().header("ETag");
        assertNotEquals(etag, changed);
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"operational\"}")
                .when().put("/api/v1/components/dns/status").then().statusCode(200);
    }

    @Test
    void maintenanceTimesOutsideTheYears1To9999AreRefused() {
        for (String extreme : List.of("+999999999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "0000-06-01T00:00:00Z",
                "-0001-01-01T00:00:00Z")) {
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                    .body("{\"name\":\"Forever\",\"scheduled_for\":\"" + Instant.now().plus(1, ChronoUnit.DAYS)
                            + "\",\"scheduled_until\":\"" + extreme + "\",\"body\":\"x\",\"components\":[\"database\"]}")
                    .when().post("/api/v1/maintenances").then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void maintenanceStartsAndCompletesByItself() {
        Instant now = Instant.now();
        String upcoming = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Database upgrade\",\"scheduled_for\":\"" + now.plus(2, ChronoUnit.DAYS)
                        + "\",\"scheduled_until\":\"" + now.plus(2, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS)
                        + "\",\"body\":\"PostgreSQL minor upgrade.\",\"components\":[\"database\"]}")
                .when().post("/api/v1/maintenances").then().statusCode(201).extract().path("id");
        String due = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"CDN migration\",\"scheduled_for\":\"" + now.minusSeconds(60)
                        + "\",\"scheduled_until\":\"" + now.plus(1, ChronoUnit.HOURS)
                        + "\",\"body\":\"Moving to the new CDN.\",\"components\":[\"cdn\"]}")
                .when().post("/api/v1/maintenances").then().statusCode(201).extract().path("id");

        incidents.advanceMaintenances();
        given().when().get("/api/v2/scheduled-maintenances/upcoming.json").then()
                .body("scheduled_maintenances.id", hasItem(upcoming))
                .body("scheduled_maintenances.find { it.id == '" + upcoming + "' }.impact", equalTo("maintenance"))
                .body("scheduled_maintenances.find { it.id == '" + upcoming + "' }.scheduled_for", notNullValue());
        given().when().get("/api/v2/scheduled-maintenances/active.json").then()
                .body("scheduled_maintenances.id", hasItem(due))
                .body("scheduled_maintenances.find { it.id == '" + due + "' }.status", equalTo("in_progress"));
        given().when().get("/api/v2/components.json").then()
                .body("components.find { it.id == 'cdn' }.status", equalTo("under_maintenance"));
        given().when().get("/api/v2/scheduled-maintenances.json").then()
                .body("scheduled_maintenances.status", everyItem(in(MAINTENANCE_STATUSES)));

        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"completed\",\"body\":\"Done early.\"}")
                .when().post("/api/v1/incidents/" + due + "/updates").then().statusCode(201);
        given().when().get("/api/v2/components.json").then()
                .body("components.find { it.id == 'cdn' }.status", equalTo("operational"));
    }

    @Test
    void badAdminInputIsAProblemAndStoresNothing() {
        int before = given().when().get("/api/v2/incidents.json").then().extract().jsonPath().getList("incidents").size();
        problem("{\"name\":\"x\",\"status\":\"investigating\",\"impact\":\"catastrophic\",\"body\":\"b\"}", 400, "critical");
        problem("{\"name\":\"x\",\"status\":\"in_progress\",\"impact\":\"minor\",\"body\":\"b\"}", 400, "maintenance");
        problem("{\"name\":\"x\",\"status\":\"investigating\",\"impact\":\"minor\",\"body\":\"b\",\"components\":{\"moon\":\"major_outage\"}}",
                400, "moon");
        problem("{\"name\":\"\",\"status\":\"investigating\",\"impact\":\"minor\"}", 400, "name");
        given().contentType(ContentType.JSON).body("{}").when().post("/api/v1/incidents").then()
                .statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.viewer()).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"status\":\"investigating\",\"impact\":\"minor\",\"body\":\"b\"}")
                .when().post("/api/v1/incidents").then().statusCode(403).contentType("application/problem+json");
        assertEquals(before, given().when().get("/api/v2/incidents.json").then().extract().jsonPath()
                .getList("incidents").size());
    }

    private static void problem(String body, int status, String detail) {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/incidents").then()
                .statusCode(status).contentType("application/problem+json")
                .body("detail", containsString(detail));
    }
}
