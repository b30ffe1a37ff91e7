package ai.loopgpt.dr.recovery.rollback;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.JwtResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.S3Resource;
import ai.loopgpt.dr.testing.Tokens;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollbacks against the fabric8 Kubernetes mock server in CRUD mode: a Deployment with three revisions. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
@WithTestResource(JwtResource.class)
@WithTestResource(RollbackResourceTest.QuickHealthChecks.class)
class RollbackResourceTest {

    static final String NS = "loopgpt";

    /** Health checks give up after 3 s in these tests. */
    public static class QuickHealthChecks implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("recovery.namespaces", "loopgpt", "recovery.health-check-timeout", "PT3S",
                    "recovery.rollout-timeout", "PT10S", "recovery.health-hosts", "127.0.0.1");
        }

        @Override
        public void stop() {
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    HttpServer health;
    final AtomicInteger healthStatus = new AtomicInteger(200);

    static PodTemplateSpec template(String version, String hash) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(Map.of("app", "api", "pod-template-hash", hash)).endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage("registry.loopgpt.ai/api:" + version)
                .addNewEnv().withName("RELEASE").withValue(version).endEnv().endContainer().endSpec()
                .build();
    }

    @BeforeEach
    void deploymentWithThreeRevisions() throws Exception {
        KubernetesClient k8s = server.getClient();
        k8s.apps().replicaSets().inNamespace(NS).delete();
        k8s.apps().deployments().inNamespace(NS).delete();
        PodTemplateSpec current = template("1.2", "hash3");
        current.getMetadata().getLabels().remove("pod-template-hash");
        Deployment deployment = k8s.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("api").withNamespace(NS).withUid("uid-api")
                .addToAnnotations("deployment.kubernetes.io/revision", "3").endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "api").endSelector()
                .withTemplate(current).endSpec()
                .withNewStatus().withReplicas(3).withUpdatedReplicas(3).withAvailableReplicas(3).endStatus()
                .build()).create();
        String[] versions = {"1.0", "1.1", "1.2"};
        for (int revision = 1; revision <= 3; revision++) {
            ReplicaSet rs = new ReplicaSetBuilder()
                    .withNewMetadata().withName("api-hash" + revision).withNamespace(NS)
                    .withLabels(Map.of("app", "api", "pod-template-hash", "hash" + revision))
                    .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(revision))
                    .addToAnnotations("kubernetes.io/change-cause", "release " + versions[revision - 1])
                    .addNewOwnerReference().withKind("Deployment").withName("api").withApiVersion("apps/v1")
                    .withUid(deployment.getMetadata().getUid()).withController(true).endOwnerReference()
                    .endMetadata()
                    .withNewSpec().withReplicas(revision == 3 ? 3 : 0).withNewSelector()
                    .addToMatchLabels("app", "api").endSelector()
                    .withTemplate(template(versions[revision - 1], "hash" + revision)).endSpec()
                    .build();
            k8s.apps().replicaSets().inNamespace(NS).resource(rs).create();
        }
        health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(healthStatus.get(), -1);
            exchange.close();
        });
        health.start();
    }

    @AfterEach
    void stopHealth() {
        health.stop(0);
    }

    String healthUrl() {
        return "http://127.0.0.1:" + health.getAddress().getPort() + "/healthz";
    }

    static JsonPath awaitRollback(String id) {
        return JobPolling.awaitPhase(JobPolling.underTest("/api/v1/rollbacks/" + id), Tokens.viewer(), JobPolling.ENDED,
                Duration.ofSeconds(30), Duration.ofMillis(100));
    }

    String rollback(String body) {
        return given().auth().oauth2(Tokens.operator()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/rollbacks").then().statusCode(202).extract().path("id");
    }

    Deployment api() {
        return server.getClient().apps().deployments().inNamespace(NS).withName("api").get();
    }

    @Test
    void revisionsAreListedNewestFirstWithImagesAndChangeCauses() {
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/deployments/loopgpt/api/revisions").then()
                .statusCode(200)
                .body("revision", contains(3, 2, 1))
                .body("current", contains(true, false, false))
                .body("[1].images[0]", equalTo("registry.loopgpt.ai/api:1.1"))
                .body("[2].changeCause", equalTo("release 1.0"));
    }

    @Test
    void rollsBackToThePreviousRevisionThenChecksHealth() {
        JsonPath done = awaitRollback(rollback("{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"healthUrl\":\""
                + healthUrl() + "\"}"));
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        assertEquals(3, done.getInt("fromRevision"));
        assertEquals(2, done.getInt("toRevision"));
        assertEquals(200, done.getInt("healthStatus"));
        PodTemplateSpec expected = template("1.1", "hash2");
        expected.getMetadata().getLabels().remove("pod-template-hash");
        PodTemplateSpec actual = api().getSpec().getTemplate();
        assertEquals(expected.getSpec(), actual.getSpec(), "the template of revision 2");
        assertEquals(Map.of("app", "api"), actual.getMetadata().getLabels());
        assertEquals("release 1.1", api().getMetadata().getAnnotations().get("kubernetes.io/change-cause"));
    }

    @Test
    void rollsBackToANamedRevision() {
        JsonPath done = awaitRollback(rollback("{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":1}"));
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        assertEquals("registry.loopgpt.ai/api:1.0", api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(List.of("registry.loopgpt.ai/api:1.0"), done.getList("images"));
    }

    @Test
    void anUnhealthyResultEndsFailed() {
        healthStatus.set(503);
        JsonPath done = awaitRollback(rollback("{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"healthUrl\":\""
                + healthUrl() + "\"}"));
        assertEquals("FAILED", done.getString("phase"));
        assertTrue(done.getString("failureReason").contains("HTTP 503"), done.prettify());
    }

    @Test
    void aHealthUrlOutsideTheAllowListIsRefusedAndNothingIsFetched() throws Exception {
        java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer elsewhere = HttpServer.create(new java.net.InetSocketAddress("127.0.0.2", 0), 0);
        elsewhere.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        elsewhere.start();
        try {
            String before = api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            for (String url : List.of("http://127.0.0.2:" + elsewhere.getAddress().getPort() + "/latest/meta-data",
                    "http://api.other-namespace.svc/healthz", "http://loopgpt.svc.evil.example/healthz")) {
                problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"healthUrl\":\"" + url
                        + "\"}", 400, "recovery.health-hosts");
            }
            Thread.sleep(500);
            assertEquals(0, fetched.get(), "nothing was fetched");
            assertEquals(before, api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), "nothing rolled back");
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void oneRollbackPerDeploymentAtATime() {
        // The first one keeps checking a failing health URL for a few seconds.
        healthStatus.set(503);
        String first = rollback("{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"healthUrl\":\"" + healthUrl() + "\"}");
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":1}", 409, first);
        assertEquals("FAILED", awaitRollback(first).getString("phase"));
        healthStatus.set(200);
        assertEquals("SUCCEEDED", awaitRollback(rollback("{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":1}"))
                .getString("phase"), "the next one runs once the first has ended");
    }

    /**
     * Right after a change the Deployment controller may not yet have renumbered the revisions: the
     * Deployment still names revision 3 while it runs revision 2's template. A rollback to revision 3
     * is then no "already there": it is decided by the template, as kubectl does, and runs.
     */
    @Test
    void aRevisionNamedByAStaleAnnotationIsRolledToByItsTemplate() {
        PodTemplateSpec older = template("1.1", "hash2");
        older.getMetadata().getLabels().remove("pod-template-hash");
        server.getClient().apps().deployments().inNamespace(NS).withName("api")
                .edit(d -> new DeploymentBuilder(d).editSpec().withTemplate(older).endSpec().build());
        JsonPath done = awaitRollback(rollback("{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":3}"));
        assertEquals("SUCCEEDED", done.getString("phase"), done.prettify());
        assertEquals("registry.loopgpt.ai/api:1.2", api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":3}", 409, "already");
    }

    @Test
    void unknownRevisionsNamespacesAndDeploymentsAreRefused() {
        String before = api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":7}", 400, "known revisions");
        problem(Tokens.operator(), "{\"namespace\":\"kube-system\",\"deployment\":\"api\"}", 400, "allow-list");
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"nope\"}", 404, "nope");
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":3}", 409, "already");
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"healthUrl\":\"file:///etc/passwd\"}",
                400, "healthUrl");
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"healthUrl\":\"localhost:8080/x\"}",
                400, "healthUrl");
        problem(Tokens.viewer(), "{\"namespace\":\"loopgpt\",\"deployment\":\"api\"}", 403, "roles");
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/deployments/kube-system/coredns/revisions").then()
                .statusCode(400).contentType("application/problem+json");
        // A name that is not a Deployment's never reaches the Kubernetes API's paths.
        given().auth().oauth2(Tokens.viewer()).urlEncodingEnabled(false)
                .when().get("/api/v1/deployments/loopgpt/..%2F..%2Fkube-system%2Fdeployments%2Fcoredns/revisions").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("not a Deployment name"));
        given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/deployments/loopgpt/" + "a".repeat(300) + "/revisions")
                .then().statusCode(400).contentType("application/problem+json");
        problem(Tokens.operator(), "{\"namespace\":\"loopgpt\",\"deployment\":\"../../kube-system/deployments/coredns\"}",
                400, "not a Deployment name");
        assertEquals(before, api().getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertFalse(before.endsWith("1.0"));
    }

    private static void problem(String token, String body, int status, String detail) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/rollbacks").then()
                .statusCode(status).contentType("application/problem+json")
                .body("detail", containsString(detail));
    }
}
