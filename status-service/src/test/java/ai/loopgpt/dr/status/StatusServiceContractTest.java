package ai.loopgpt.dr.status;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.Management;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.ServiceContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(JwtResource.class)
class StatusServiceContractTest extends ServiceContract {

    @Override
    protected String schema() {
        return "status";
    }

    @Override
    protected Call viewerRead() {
        return new Call("GET", "/api/v1/components", null);
    }

    @Override
    protected Call operatorAction() {
        return new Call("PUT", "/api/v1/components/dns/status", "{\"status\":\"operational\"}");
    }

    @Override
    protected String readinessCheck() {
        return "Public page snapshot";
    }

    @Override
    protected Set<String> ownMetrics() {
        return Set.of("dr_status_snapshot_age_seconds", "dr_status_database_up");
    }

    /** Both are gauges of the health checks: a health call makes sure they exist. */
    @Override
    protected void recordOwnMetrics() {
        Management.given().when().get("/q/health").then().statusCode(200);
    }
}
