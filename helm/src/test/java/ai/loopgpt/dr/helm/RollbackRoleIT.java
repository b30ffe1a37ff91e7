package ai.loopgpt.dr.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rendered rollback Role, applied to the fabric8 Kubernetes mock server (CRUD mode), covers every
 * request of a rollback as recovery-service makes it (DeploymentHistory, RollbackService): read the
 * Deployment, list its ReplicaSets, change its pod template, read it again while it rolls out.
 */
class RollbackRoleIT {

    @Test
    void theRenderedRoleAllowsEveryRequestOfARollback() throws Exception {
        Role rendered = ChartIT.ofKind(ChartIT.render(List.of()), Role.class).get(0);
        KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient kubernetes = server.createClient()) {
            String ns = rendered.getMetadata().getNamespace();
            Role applied = kubernetes.rbac().roles().inNamespace(ns).resource(rendered).create();
            Map<String, String> labels = Map.of("app", "api");
            kubernetes.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                    .withNewMetadata().withName("api").withAnnotations(Map.of("deployment.kubernetes.io/revision", "2"))
                    .endMetadata()
                    .withNewSpec().withNewSelector().withMatchLabels(labels).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                    .withNewSpec().addNewContainer().withName("api").withImage("api:2").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
            for (int revision = 1; revision <= 2; revision++) {
                kubernetes.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
                        .withNewMetadata().withName("api-" + revision).withLabels(labels)
                        .withAnnotations(Map.of("deployment.kubernetes.io/revision", Integer.toString(revision))).endMetadata()
                        .withNewSpec().withNewSelector().withMatchLabels(labels).endSelector()
                        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec().addNewContainer().withName("api").withImage("api:" + revision).endContainer().endSpec()
                        .endTemplate().endSpec().build()).create();
            }
            while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
                // The setup's requests are not the rollback's.
            }

            // The rollback, as recovery-service does it: revisions, then the template of revision 1.
            Deployment current = kubernetes.apps().deployments().inNamespace(ns).withName("api").get();
            var revisions = kubernetes.apps().replicaSets().inNamespace(ns)
                    .withLabels(current.getSpec().getSelector().getMatchLabels()).list().getItems();
            var target = revisions.stream().filter(r -> r.getMetadata().getName().equals("api-1")).findFirst().orElseThrow();
            kubernetes.apps().deployments().inNamespace(ns).withName("api").edit(d -> new DeploymentBuilder(d)
                    .editSpec().withTemplate(target.getSpec().getTemplate()).endSpec().build());
            Deployment after = kubernetes.apps().deployments().inNamespace(ns).withName("api").get();
            assertEquals("api:1", after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

            List<String> requests = new ArrayList<>();
            RecordedRequest request;
            while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
                String resource = request.getPath().replaceAll("\\?.*", "").replaceAll(".*/namespaces/" + ns + "/", "");
                String[] parts = resource.split("/");
                String verb = switch (request.getMethod()) {
                    case "GET" -> parts.length > 1 ? "get" : "list";
                    case "PATCH" -> "patch";
                    case "PUT" -> "update";
                    case "POST" -> "create";
                    case "DELETE" -> "delete";
                    default -> request.getMethod();
                };
                requests.add(parts[0] + " " + verb);
                assertTrue(RollbackRbac.allows(applied, parts[0], verb),
                        request.getMethod() + " " + request.getPath() + " needs " + verb + " on " + parts[0]
                                + ", which the Role does not grant: " + RollbackRbac.grants(applied));
            }
            assertTrue(requests.containsAll(List.of("deployments get", "replicasets list", "deployments patch")), requests.toString());
        } finally {
            server.destroy();
        }
    }
}
