package ai.loopgpt.dr.notification;

import ai.loopgpt.dr.notification.delivery.DeliveryMetrics;
import ai.loopgpt.dr.notification.delivery.Dispatcher;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Set;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class NotificationServiceContractTest extends ServiceContract {

    @Inject
    Dispatcher dispatcher;

    @Inject
    DeliveryMetrics metrics;

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

    @Override
    protected Set<String> ownMetrics() {
        return Set.of("dr_notification_deliveries_total", "dr_notification_queue_age_seconds");
    }

    /** A dispatch round (the queue age) and a delivery attempt on a channel of its own. */
    @Override
    protected void recordOwnMetrics() {
        dispatcher.dispatch();
        metrics.delivery("sent", "metrics-contract");
    }
}
