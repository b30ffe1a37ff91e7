package ai.loopgpt.dr.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.notification.client.ApiClient;
import ai.loopgpt.dr.notification.client.ApiException;
import ai.loopgpt.dr.notification.client.api.SuppressionsApi;
import ai.loopgpt.dr.notification.client.model.NewSuppression;
import ai.loopgpt.dr.notification.client.model.Problem;
import ai.loopgpt.dr.notification.client.model.Reason;
import ai.loopgpt.dr.notification.client.model.SuppressionView;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A client generated from {@code docs/api/notification-service.yaml} (openapi-generator, java.net.http
 * and Jackson; see the pom), against the running service: what an operator generating a client from
 * the kept document gets works, and the service's problems reach it as an {@link ApiException}
 * whose body is the document's {@code Problem}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class GeneratedClientTest {

    @TestHTTPResource("/")
    URI root;

    private SuppressionsApi as(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(root.toString().replaceAll("/$", ""));
        // The generated DELETE (204, no body) accepts only application/problem+json, the media type of
        // its errors; the service, whose resources produce application/json, answers that Accept with
        // 406 before anything else. A client must accept both, as the other generated calls do.
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token)
                .setHeader("Accept", "application/json, application/problem+json"));
        return new SuppressionsApi(client);
    }

    private static Problem problem(ApiException e) throws Exception {
        return new ApiClient().getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    }

    @Test
    void aSuppressionMakesTheRoundTripAndProblemsAreApiExceptions() throws Exception {
        String address = "generated-" + UUID.randomUUID() + "@example.org";
        SuppressionView created = as(Tokens.operator()).addSuppression(new NewSuppression()
                .address("  " + address.toUpperCase() + " ").reason(Reason.COMPLAINT).note("from the generated client"));
        assertEquals(address, created.getAddress());
        assertEquals(Reason.COMPLAINT, created.getReason());
        assertEquals("operator@loopgpt.test", created.getCreatedBy());
        assertNotNull(created.getCreatedAt());

        assertTrue(as(Tokens.viewer()).listSuppressions(0, 500).getItems().stream()
                .anyMatch(s -> s.getAddress().equals(address) && "from the generated client".equals(s.getNote())));

        ApiException forbidden = assertThrows(ApiException.class, () -> as(Tokens.operator()).liftSuppression(address));
        assertEquals(403, forbidden.getCode());
        assertEquals(403, problem(forbidden).getStatus().intValue());

        as(Tokens.admin()).liftSuppression(address);
        ApiException gone = assertThrows(ApiException.class, () -> as(Tokens.admin()).liftSuppression(address));
        assertEquals(404, gone.getCode());
        assertEquals("That address is not on the suppression list.", problem(gone).getDetail());

        ApiException invalid = assertThrows(ApiException.class, () -> as(Tokens.operator())
                .addSuppression(new NewSuppression().address("not an address").reason(Reason.MANUAL)));
        assertEquals(400, invalid.getCode());
        Problem refused = problem(invalid);
        assertEquals(400, refused.getStatus().intValue());
        assertTrue(refused.getType().toString().startsWith("https://status.loopgpt.ai/problems/"), refused.getType().toString());
        assertEquals("address", refused.getErrors().get(0).getField());
    }
}
