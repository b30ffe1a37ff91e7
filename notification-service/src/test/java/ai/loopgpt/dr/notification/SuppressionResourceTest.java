package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
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
class SuppressionResourceTest {

    @Test
    void suppressListAndLift() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"address\":\"  Complainer@Example.COM \",\"reason\":\"COMPLAINT\",\"note\":\"spam report\"}")
                .when().post("/api/v1/suppressions").then()
                .statusCode(200)
                .body("address", equalTo("complainer@example.com"))
                .body("createdBy", equalTo("operator@loopgpt.test"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/suppressions").then()
                .statusCode(200).body("items.address", hasItem("complainer@example.com"));

        given().auth().oauth2(Tokens.operator()).when().delete("/api/v1/suppressions/complainer@example.com").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/suppressions/Complainer@example.com").then()
                .statusCode(204);
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/suppressions").then()
                .body("items.address", not(hasItem("complainer@example.com")));
        given().auth().oauth2(Tokens.admin()).when().delete("/api/v1/suppressions/complainer@example.com").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aBadAddressIsAProblem() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"address\":\"not an address\",\"reason\":\"MANUAL\"}")
                .when().post("/api/v1/suppressions").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("address"));
    }
}
