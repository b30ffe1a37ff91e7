package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.status.service.PublicIncidentService;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our summary.json against a Statuspage v2 summary fixture: every object carries the fields (and
 * only the kinds of values) existing consumers read.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class StatuspageFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    PublicIncidentService incidents;

    static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Every field the fixture object has, ours has too (we may add, e.g. a group's member list). */
    static void sameFields(JsonNode fixture, JsonNode ours, String where) {
        Set<String> missing = new TreeSet<>(keys(fixture));
        missing.removeAll(keys(ours));
        assertTrue(missing.isEmpty(), where + " lacks " + missing + "; ours: " + ours);
    }

    @Test
    void summaryHasTheFieldsOfStatuspagesSummary() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/statuspage-summary.json")) {
            fixture = JSON.readTree(in);
        }
        String id = given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Fixture outage\",\"status\":\"identified\",\"impact\":\"critical\",\"body\":\"b\","
                        + "\"components\":{\"api\":\"major_outage\"}}")
                .when().post("/api/v1/incidents").then().statusCode(201).extract().path("id");
        Instant now = Instant.now();
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Fixture maintenance\",\"scheduled_for\":\"" + now.minusSeconds(5)
                        + "\",\"scheduled_until\":\"" + now.plus(1, ChronoUnit.HOURS) + "\",\"body\":\"m\",\"components\":[\"dns\"]}")
                .when().post("/api/v1/maintenances").then().statusCode(201);
        incidents.advanceMaintenances();
        try {
            JsonNode ours = JSON.readTree(given().when().get("/api/v2/summary.json").then().statusCode(200)
                    .extract().asByteArray());
            assertEquals(keys(fixture), keys(ours), "top-level documents");
            sameFields(fixture.get("page"), ours.get("page"), "page");
            sameFields(fixture.get("status"), ours.get("status"), "status");
            for (JsonNode component : ours.get("components")) {
                sameFields(fixture.get("components").get(0), component, "component " + component.path("id"));
            }
            JsonNode incident = ours.get("incidents").get(0);
            sameFields(fixture.get("incidents").get(0), incident, "incident");
            sameFields(fixture.at("/incidents/0/incident_updates/0"), incident.at("/incident_updates/0"), "incident update");
            sameFields(fixture.at("/incidents/0/incident_updates/0/affected_components/0"),
                    incident.at("/incident_updates/0/affected_components/0"), "affected component");
            sameFields(fixture.get("scheduled_maintenances").get(0), ours.get("scheduled_maintenances").get(0),
                    "scheduled maintenance");
            assertEquals("critical", ours.at("/status/indicator").asText());
            assertTrue(ours.at("/page/updated_at").asText().matches("\\d{4}-\\d{2}-\\d{2}T.*"), "ISO-8601 times");
        } finally {
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"resolved\",\"body\":\"r\"}")
                    .when().post("/api/v1/incidents/" + id + "/updates").then().statusCode(201);
            String maintenance = JSON.readTree(given().when().get("/api/v2/scheduled-maintenances/active.json").then()
                    .extract().asByteArray()).at("/scheduled_maintenances/0/id").asText();
            given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"completed\",\"body\":\"c\"}")
                    .when().post("/api/v1/incidents/" + maintenance + "/updates").then().statusCode(201);
        }
    }
}
