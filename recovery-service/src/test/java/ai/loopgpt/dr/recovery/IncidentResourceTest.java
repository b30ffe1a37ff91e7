package ai.loopgpt.dr.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

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
}
