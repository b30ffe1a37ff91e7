package ai.loopgpt.dr.recovery;

import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.ServiceContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
class RecoveryServiceContractTest extends ServiceContract {

    @Override
    protected String schema() {
        return "recovery";
    }

    @Override
    protected Call viewerRead() {
        return new Call("GET", "/api/v1/incidents", null);
    }

    @Override
    protected Call operatorAction() {
        return new Call("POST", "/api/v1/incidents",
                "{\"title\":\"Orders failing\",\"scenario\":\"database-failure\",\"severity\":\"MAJOR\"}");
    }
}
