package ai.loopgpt.dr.recovery.restore;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** backup-service unreachable: restores are refused with 503, and nothing is started. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(DestinationsResource.class)
@WithTestResource(BackupServiceDownTest.Nowhere.class)
class BackupServiceDownTest {

    /** Points the backup-service client at a port where nothing listens. */
    public static class Nowhere implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return Map.of("quarkus.rest-client.backup-service.url", "http://127.0.0.1:" + socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void aRestoreIsRefusedWith503AndNothingIsStarted() {
        given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"backupId\":\"" + UUID.randomUUID() + "\",\"destination\":\"loopgpt\"}")
                .when().post("/api/v1/restores").then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("backup-service cannot be reached"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/restores").then()
                .statusCode(200).body("total", equalTo(0));
    }
}
