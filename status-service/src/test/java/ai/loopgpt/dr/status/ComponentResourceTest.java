package ai.loopgpt.dr.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class ComponentResourceTest {

    @Test
    void listsTheConfiguredComponentsInPageOrder() {
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/components").then()
                .statusCode(200)
                .body("id", contains("api", "edge-functions", "database", "food-search", "orders", "instacart",
                        "shipt", "dns", "cdn", "backups", "notifications"))
                .body("find { it.id == 'instacart' }.group", equalTo("Providers"))
                .body("find { it.id == 'backups' }.shown", equalTo(false));
        // The internal one is set like the others and never published.
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"degraded_performance\"}")
                .when().put("/api/v1/components/backups/status").then().statusCode(200);
        given().when().get("/api/v2/components.json").then().statusCode(200)
                .body("components.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("backups")));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body("{\"status\":\"operational\"}")
                .when().put("/api/v1/components/backups/status").then().statusCode(200);
    }

    @Test
    void anOperatorSetsAStatusThatStays() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"partial_outage\"}")
                .when().put("/api/v1/components/shipt/status").then()
                .statusCode(200)
                .body("status", equalTo("partial_outage"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/components").then()
                .body("find { it.id == 'shipt' }.status", equalTo("partial_outage"));
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON)
                .body("{\"status\":\"operational\"}")
                .when().put("/api/v1/components/shipt/status").then()
                .statusCode(200);
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"on_fire\"}")
                .when().put("/api/v1/components/cdn/status").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("major_outage"))
                .body("detail", not(containsString("ai.loopgpt")))
                .body("errors[0].field", equalTo("status"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{}")
                .when().put("/api/v1/components/cdn/status").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"));
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"status\":\"major_outage\"}")
                .when().put("/api/v1/components/no-such/status").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no-such"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/components").then()
                .body("find { it.id == 'cdn' }.status", equalTo("operational"));
    }
}
