package ai.loopgpt.dr.notification;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class NotificationServiceContractTest extends ServiceContract {

    @Override
    protected String schema() {
        return "notification";
    }

    @Override
    protected Call viewerRead() {
        return new Call("GET", "/api/v1/suppressions", null);
    }

    @Override
    protected Call operatorAction() {
        return new Call("POST", "/api/v1/suppressions", "{\"address\":\"bounced@example.com\",\"reason\":\"HARD_BOUNCE\"}");
    }
}
