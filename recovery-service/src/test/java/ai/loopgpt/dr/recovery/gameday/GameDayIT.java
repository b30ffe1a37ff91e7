package ai.loopgpt.dr.recovery.gameday;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.recovery.restore.RecoveryProcesses;
import ai.loopgpt.dr.recovery.restore.RestoreResourceTest;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.JobPolling;
import ai.loopgpt.dr.testing.MessagePeersResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.SmtpServer;
import ai.loopgpt.dr.testing.Tokens;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Game days run by the packaged recovery-service against real peers: PostgreSQL, S3 and
 * backup-service (the backups and the scratch destination), the packaged status- and
 * notification-service with a mail server and a Slack receiver, and the fabric8 Kubernetes mock
 * (CRUD) holding the drill Deployment, with a stand-in for the Deployment controller's revisions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GameDayIT {

    static final String NS = "drills";
    static final String DRILL_MAIL = "gameday@loopgpt.test";
    static final String USERS_MAIL = "users@loopgpt.test";

    /** The game-day audience has email and Slack; users mail; the team is Slack #incidents. */
    static final class Peers extends MessagePeersResource {
        @Override
        protected List<Audience> audiences() {
            return List.of(Audience.email("users", USERS_MAIL), Audience.slack("team", "incidents"),
                    new Audience("gameday", DRILL_MAIL, "incidents"));
        }

        @Override
        protected Map<String, String> configuration(ServiceProcess notifications, ServiceProcess status) {
            Map<String, String> env = new HashMap<>();
            env.put("RECOVERY_COMMUNICATION_STATUS_URL", status.url());
            env.put("RECOVERY_COMMUNICATION_NOTIFICATION_URL", notifications.url());
            env.put("RECOVERY_COMMUNICATION_TOKEN", Tokens.as("system:serviceaccount:dr:recovery-service", "dr-service"));
            env.put("RECOVERY_COMMUNICATION_USERS_AUDIENCE", "users");
            env.put("RECOVERY_COMMUNICATION_TEAM_AUDIENCE", "team");
            env.put("RECOVERY_COMMUNICATION_DRILL_AUDIENCE", "gameday");
            env.put("RECOVERY_COMMUNICATION_OUTBOX_EVERY", "1s");
            env.put("RECOVERY_COMMUNICATION_DELIVERY_CHECK_EVERY", "2s");
            return env;
        }
    }

    static Peers peers;
    static Map<String, String> communication;
    static KubernetesMockServer k8s;
    static KubernetesClient kube;
    static HttpServer health;
    static Thread controller;

    @BeforeAll
    static void peers() throws Exception {
        peers = new Peers();
        communication = peers.start();
        k8s = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
                new HashMap<>(), new KubernetesCrudDispatcher(), false);
        k8s.init();
        kube = k8s.createClient();
        health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        health.start();
        controller = new Thread(GameDayIT::deploymentController, "deployment-controller");
        controller.setDaemon(true);
        controller.start();
        RestoreResourceTest.backupOf("loopgpt", "");
    }

    @AfterAll
    static void stop() {
        controller.interrupt();
        health.stop(0);
        kube.close();
        k8s.destroy();
        peers.stop();
    }

    @BeforeEach
    void drillDeploymentWithThreeRevisions() {
        kube.apps().replicaSets().inNamespace(NS).delete();
        kube.apps().deployments().inNamespace(NS).delete();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> kube.apps().deployments().inNamespace(NS).list()
                .getItems().isEmpty());
        PodTemplateSpec current = template("1.2", null);
        Deployment deployment = kube.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("api").withNamespace(NS).withUid("uid-api")
                .addToAnnotations("deployment.kubernetes.io/revision", "3").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "api").endSelector()
                .withTemplate(current).endSpec()
                .withNewStatus().withReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1).endStatus()
                .build()).create();
        String[] versions = {"1.0", "1.1", "1.2"};
        for (int revision = 1; revision <= 3; revision++) {
            kube.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                    .withNewMetadata().withName("api-hash" + revision).withNamespace(NS)
                    .withLabels(Map.of("app", "api", "pod-template-hash", "hash" + revision))
                    .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(revision))
                    .addNewOwnerReference().withKind("Deployment").withName("api").withApiVersion("apps/v1")
                    .withUid(deployment.getMetadata().getUid()).withController(true).endOwnerReference()
                    .endMetadata()
                    .withNewSpec().withReplicas(revision == 3 ? 1 : 0).withNewSelector().addToMatchLabels("app", "api")
                    .endSelector().withTemplate(template(versions[revision - 1], "hash" + revision)).endSpec()
                    .build()).create();
        }
    }

    static PodTemplateSpec template(String version, String hash) {
        Map<String, String> labels = new HashMap<>(Map.of("app", "api"));
        if (hash != null) {
            labels.put("pod-template-hash", hash);
        }
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage("registry.loopgpt.ai/api:" + version)
                .endContainer().endSpec().build();
    }

    static String image() {
        return kube.apps().deployments().inNamespace(NS).withName("api").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage();
    }

    /**
     * What the Deployment controller does with revisions: when the template changes to that of an
     * older ReplicaSet, that ReplicaSet becomes the newest revision, and the Deployment says so.
     */
    static void deploymentController() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(100);
                Deployment d = kube.apps().deployments().inNamespace(NS).withName("api").get();
                if (d == null) {
                    continue;
                }
                String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
                List<ReplicaSet> sets = kube.apps().replicaSets().inNamespace(NS).list().getItems();
                long newest = sets.stream().mapToLong(GameDayIT::revision).max().orElse(0);
                ReplicaSet current = sets.stream().filter(r -> r.getSpec().getTemplate().getSpec().getContainers().get(0)
                        .getImage().equals(image)).findFirst().orElse(null);
                if (current == null || revision(current) == newest) {
                    continue;
                }
                String next = Long.toString(newest + 1);
                kube.apps().replicaSets().inNamespace(NS).withName(current.getMetadata().getName()).edit(r ->
                        new ReplicaSetBuilder(r).editMetadata().addToAnnotations("deployment.kubernetes.io/revision", next)
                                .endMetadata().build());
                kube.apps().deployments().inNamespace(NS).withName("api").edit(x -> new DeploymentBuilder(x)
                        .editMetadata().addToAnnotations("deployment.kubernetes.io/revision", next).endMetadata().build());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The test is resetting the Deployment; look again.
            }
        }
    }

    static long revision(ReplicaSet r) {
        return Long.parseLong(r.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    }

    /** The packaged recovery-service of these tests, with a failpoint (or none) and changes to its environment. */
    static ServiceProcess recovery(String failpoint, Map<String, String> changes) {
        Map<String, String> env = new HashMap<>(communication);
        env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", k8s.url("/"));
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", NS);
        env.put("RECOVERY_NAMESPACES", NS);
        env.put("RECOVERY_GAME_DAY_DEPLOYMENTS", NS + "/api");
        env.put("RECOVERY_HEALTH_HOSTS", "127.0.0.1");
        env.put("RECOVERY_GAME_DAY_HEALTH_URL", "http://127.0.0.1:" + health.getAddress().getPort() + "/healthz");
        env.put("RECOVERY_GAME_DAY_TARGET", "loopgpt");
        env.put("RECOVERY_GAME_DAY_UPDATE_EVERY", "PT1S");
        env.put("RECOVERY_GAME_DAY_POLL_EVERY", "PT0.3S");
        env.put("RECOVERY_GAME_DAY_DELIVERY_TIMEOUT", "PT2M");
        env.put("RECOVERY_ROLLOUT_TIMEOUT", "PT10S");
        env.put("RECOVERY_HEALTH_CHECK_TIMEOUT", "PT5S");
        env.putAll(changes);
        return RecoveryProcesses.start(failpoint, env);
    }

    static String startGameDay(ServiceProcess recovery, String scenarios) {
        return given().baseUri(recovery.url()).auth().oauth2(Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"run\":true" + (scenarios == null ? "" : ",\"scenarios\":" + scenarios) + "}")
                .when().post("/api/v1/drills/game-days").then().statusCode(202).extract().path("id");
    }

    static JsonPath awaitEnd(ServiceProcess recovery, String id) {
        return JobPolling.awaitPhase(recovery.url() + "/api/v1/drills/game-days/" + id, Tokens.viewer(), JobPolling.ENDED,
                Duration.ofMinutes(5), Duration.ofMillis(500));
    }

    static Map<String, Object> scenario(JsonPath day, String name) {
        List<Map<String, Object>> all = day.getList("scenarios");
        return all.stream().filter(s -> name.equals(s.get("scenario"))).findFirst().orElseThrow();
    }

    static List<Map<String, Object>> actions(Map<String, Object> scenario, String kind) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> actions = (List<Map<String, Object>>) scenario.get("actions");
        return actions.stream().filter(a -> kind.equals(a.get("kind"))).toList();
    }

    static JsonPath status(String path) {
        return given().baseUri(MessagePeersResource.status().url()).auth().oauth2(Tokens.viewer()).when().get(path).then()
                .statusCode(200).extract().jsonPath();
    }

    static List<SmtpServer.Message> mailsTo(String address) {
        return MessagePeersResource.smtp().messages().stream().filter(m -> m.to().contains(address)).toList();
    }

    static List<String> scratchCopies() throws Exception {
        return RestoreResourceTest.databases().stream().filter(d -> d.startsWith("drills_scratch_restore_")).toList();
    }

    @Test
    @Order(1)
    void aFullGameDayRunsTheFourScenariosMeasuresThemAndTellsOnlyTheDrillAudience() throws Exception {
        Object componentsBefore = status("/api/v1/components").getList("status");
        int publicIncidentsBefore = status("/api/v1/incidents").getList("name").size();
        int usersMailsBefore = mailsTo(USERS_MAIL).size();
        int drillMailsBefore = mailsTo(DRILL_MAIL).size();
        int slackBefore = MessagePeersResource.slack().requests(MessagePeersResource.SLACK_PATH).size();
        try (ServiceProcess recovery = recovery(null, Map.of())) {
            String id = startGameDay(recovery, null);
            JsonPath day = awaitEnd(recovery, id);
            String all = day.prettify();
            assertEquals("SUCCEEDED", day.getString("phase"), all);
            assertEquals(List.of("database-restore", "edge-function-rollback", "complete-service-recovery",
                    "communication-plan"), day.getList("scenarios.scenario"), all);
            for (Map<String, Object> s : day.<Map<String, Object>>getList("scenarios")) {
                assertEquals("SUCCEEDED", s.get("phase"), all);
                assertTrue(((Number) s.get("rtoSeconds")).doubleValue() > 0, "RTO measured: " + s);
                assertNotNull(s.get("incidentId"), all);
            }
            assertEquals(14400, day.getInt("objectives.rtoSeconds"));

            Map<String, Object> restore = scenario(day, "database-restore");
            assertNotNull(restore.get("rpoSeconds"), "the RPO the restore would have meant: " + restore);
            Map<String, Object> restored = actions(restore, "restore").get(0);
            assertEquals("SUCCEEDED", restored.get("outcome"), all);
            assertTrue(String.valueOf(restored.get("detail")).contains("tables verified"), all);
            assertTrue(String.valueOf(restored.get("detail")).contains("the copy was dropped"), all);

            Map<String, Object> rollback = scenario(day, "edge-function-rollback");
            assertEquals("SUCCEEDED", actions(rollback, "rollback").get(0).get("outcome"), all);
            assertEquals("SUCCEEDED", actions(rollback, "roll-forward").get(0).get("outcome"), all);

            Map<String, Object> complete = scenario(day, "complete-service-recovery");
            assertEquals(1, actions(complete, "restore").size(), all);
            assertEquals(1, actions(complete, "rollback").size(), all);
            assertEquals(2, actions(complete, "components").size(), "set, then set back: " + all);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> copy = (Map<String, Map<String, String>>) complete.get("components");
            assertFalse(copy.isEmpty(), all);
            copy.forEach((c, s) -> assertEquals(s.get("original"), s.get("drill"), "drill copy of " + c + " set back"));

            Map<String, Object> comms = scenario(day, "communication-plan");
            assertNotNull(comms.get("firstMessageSeconds"), all);
            List<Map<String, Object>> messages = actions(comms, "message");
            assertEquals(List.of("incident-notification", "status-update", "status-update", "resolution-notification"),
                    messages.stream().map(m -> m.get("step")).toList(), all);
            messages.forEach(m -> assertEquals("DELIVERED", m.get("outcome"), all));

            // Every message of the communication scenario reached the drill audience's mail and Slack.
            String commsTitle = "Communication plan";
            // The last scenario waited for its own messages; the others' may still be on their way, and a
            // retried delivery may come after a later one: wait for all of them, then count exactly.
            List<SmtpServer.Message> drillMails = Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> mailsTo(DRILL_MAIL).subList(drillMailsBefore, mailsTo(DRILL_MAIL).size()),
                            mails -> mails.stream().filter(m -> m.header("Subject").startsWith("LoopGPT Service Restored"))
                                    .count() >= 4 && mails.stream().filter(m -> m.header("Subject")
                                            .startsWith("LoopGPT Service Issue")).count() >= 4);
            assertEquals(4, drillMails.stream().filter(m -> m.header("Subject").startsWith("LoopGPT Service Issue"))
                    .count(), "one incident mail per scenario: " + drillMails);
            assertEquals(2, drillMails.stream().filter(m -> m.header("Subject").startsWith("[LoopGPT status]")
                    && m.header("Subject").contains(commsTitle)).count(), "two update mails: " + drillMails);
            assertEquals(4, drillMails.stream().filter(m -> m.header("Subject").startsWith("LoopGPT Service Restored"))
                    .count(), "one resolution mail per scenario: " + drillMails);
            // And the same on Slack (the drill audience's channel; a Slack message's header is the mail's subject).
            List<HttpReceiver.Request> slack = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<HttpReceiver.Request> received = MessagePeersResource.slack().requests(MessagePeersResource.SLACK_PATH);
                return received.subList(slackBefore, received.size());
            }, posted -> posted.stream().filter(r -> r.body().contains("LoopGPT Service Restored")).count() >= 4
                    && posted.stream().filter(r -> r.body().contains("LoopGPT Service Issue")).count() >= 4);
            assertEquals(4, slack.stream().filter(r -> r.body().contains("LoopGPT Service Issue")).count(),
                    "one incident message per scenario on Slack");
            assertEquals(2, slack.stream().filter(r -> r.body().contains("[LoopGPT status]")
                    && r.body().contains(commsTitle)).count(), "the two updates on Slack");
            assertEquals(4, slack.stream().filter(r -> r.body().contains("LoopGPT Service Restored")).count(),
                    "one resolution message per scenario on Slack");
            // The team's one-page summary.
            Awaitility.await("the summary to the team").atMost(Duration.ofSeconds(30)).until(() -> MessagePeersResource
                    .slack().requests(MessagePeersResource.SLACK_PATH).stream().anyMatch(r -> r.body().contains("passed")
                            && r.body().contains("Database restore")));

            // Nothing public, nothing left behind.
            assertEquals(componentsBefore, status("/api/v1/components").getList("status"));
            assertEquals(publicIncidentsBefore, status("/api/v1/incidents").getList("name").size());
            assertEquals(usersMailsBefore, mailsTo(USERS_MAIL).size());
            assertEquals("registry.loopgpt.ai/api:1.2", image(), "the drill Deployment rolled forward again");
            assertEquals(List.of(), scratchCopies());
        }
    }

    @Test
    @Order(2)
    void anUnreachableScratchDestinationFailsTheRestoreScenarioAtItsStepAndTheOthersStillRun() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ServiceProcess recovery = recovery(null, Map.of("RECOVERY_DESTINATIONS__DRILLS__PORT",
                Integer.toString(closedPort)))) {
            String id = startGameDay(recovery, null);
            JsonPath day = awaitEnd(recovery, id);
            String all = day.prettify();
            assertEquals("FAILED", day.getString("phase"), all);
            Map<String, Object> restore = scenario(day, "database-restore");
            assertEquals("FAILED", restore.get("phase"), all);
            assertEquals("restore-database", restore.get("failedStep"), all);
            assertTrue(day.getString("failureReason").contains("database-restore failed at restore-database"), all);
            assertEquals("SUCCEEDED", scenario(day, "edge-function-rollback").get("phase"), all);
            assertEquals("FAILED", scenario(day, "complete-service-recovery").get("phase"), all);
            assertEquals("restore-database", scenario(day, "complete-service-recovery").get("failedStep"), all);
            assertEquals("registry.loopgpt.ai/api:1.2", image(), "its rollback was never reached; the other's rolled forward");
            assertEquals("SUCCEEDED", scenario(day, "communication-plan").get("phase"), all);

            // The failure is an action item of the scenario's post-mortem.
            String incident = (String) restore.get("incidentId");
            List<String> items = given().baseUri(recovery.url()).auth().oauth2(Tokens.viewer()).when()
                    .get("/api/v1/incidents/" + incident + "/postmortem/actions").then().statusCode(200).extract()
                    .jsonPath().getList("description");
            assertEquals(1, items.size(), String.valueOf(items));
            assertTrue(items.get(0).startsWith("Game day: Database restore failed at restore-database"), items.get(0));
            Awaitility.await("the summary says so").atMost(Duration.ofSeconds(30)).until(() -> MessagePeersResource
                    .slack().requests(MessagePeersResource.SLACK_PATH).stream()
                    .anyMatch(r -> r.body().contains("2 of 4 scenarios failed")));
        }
    }

    @Test
    @Order(3)
    void killedInTheMiddleTheGameDayEndsFailedWithATrueRecordAndNothingLeftBehind() throws Exception {
        // Killed with the drill Deployment rolled back and the drill copy of the components changed.
        ServiceProcess killed = recovery("game-day.rolled-back", Map.of());
        String id;
        try (killed) {
            id = startGameDay(killed, "[\"complete-service-recovery\",\"communication-plan\"]");
            killed.awaitLog("FAILPOINT game-day.rolled-back reached", Duration.ofMinutes(3));
            assertEquals("registry.loopgpt.ai/api:1.1", image(), "rolled back when killed");
            killed.kill();
        }
        try (ServiceProcess restarted = recovery(null, Map.of())) {
            JsonPath day = awaitEnd(restarted, id);
            String all = day.prettify();
            assertEquals("FAILED", day.getString("phase"), all);
            Map<String, Object> complete = scenario(day, "complete-service-recovery");
            assertEquals("FAILED", complete.get("phase"), all);
            assertEquals("rollback-deployment", complete.get("failedStep"), all);
            assertTrue(String.valueOf(complete.get("reason")).startsWith("Interrupted"), all);
            assertEquals("SKIPPED", scenario(day, "communication-plan").get("phase"), all);
            assertEquals("registry.loopgpt.ai/api:1.2", image(), "rolled forward by the replica that settled it");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> copy = (Map<String, Map<String, String>>) complete.get("components");
            copy.forEach((c, s) -> assertEquals(s.get("original"), s.get("drill"), "drill copy of " + c + " set back"));
            String incident = (String) complete.get("incidentId");
            JsonPath resolved = given().baseUri(restarted.url()).auth().oauth2(Tokens.viewer()).when()
                    .get("/api/v1/incidents/" + incident).then().statusCode(200).extract().jsonPath();
            assertEquals("RESOLVED", resolved.getString("status").toUpperCase(Locale.ROOT), resolved.prettify());
            assertEquals(List.of(), scratchCopies());
            assertNotNull(day.getString("finishedAt"), all);
        }
    }
}
