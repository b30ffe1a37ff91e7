package ai.loopgpt.dr.recovery.rollback;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Deployment's revisions, read as kubectl reads them: the ReplicaSets it owns, numbered by their
 * {@code deployment.kubernetes.io/revision} annotation, each holding that revision's pod template.
 */
@ApplicationScoped
public class DeploymentHistory {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String CHANGE_CAUSE = "kubernetes.io/change-cause";
    static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private final KubernetesClient kubernetes;
    private final RecoverySettings settings;

    public DeploymentHistory(KubernetesClient kubernetes, RecoverySettings settings) {
        this.kubernetes = kubernetes;
        this.settings = settings;
    }

    /** One revision of a Deployment. */
    public record Revision(long revision, List<String> images, Instant createdAt, String changeCause, boolean current,
            PodTemplateSpec template) {
    }

    void checkNamespace(String namespace) {
        if (!settings.namespaces().contains(namespace)) {
            throw ProblemException.badRequest("Namespace '" + namespace + "' is not in the allow-list (recovery.namespaces): "
                    + String.join(", ", settings.namespaces()) + ".");
        }
    }

    /** A Deployment's name as Kubernetes allows it (a DNS subdomain): nothing else reaches the API's paths. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("'" + name + "' is not a Deployment name: lower-case letters, digits, '-'"
                    + " and '.', at most 253 characters, starting and ending with a letter or digit.");
        }
    }

    public Deployment deployment(String namespace, String name) {
        checkNamespace(namespace);
        checkName(name);
        Deployment deployment;
        try {
            deployment = kubernetes.apps().deployments().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            // The client's message quotes the API server's URL: said by status code only.
            throw new ProblemException(ai.loopgpt.dr.common.problem.ProblemType.SERVICE_UNAVAILABLE,
                    "The Kubernetes API cannot be reached" + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "")
                            + ". In a cluster this uses the pod's service account; elsewhere, point KUBECONFIG at the cluster.");
        }
        if (deployment == null) {
            throw ProblemException.notFound("Deployment in namespace " + namespace + " named", name);
        }
        return deployment;
    }

    /** The revisions of {@code name}, newest first. */
    public List<Revision> revisions(String namespace, String name) {
        Deployment deployment = deployment(namespace, name);
        long current = revisionOf(deployment.getMetadata().getAnnotations());
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        List<ReplicaSet> owned = kubernetes.apps().replicaSets().inNamespace(namespace).withLabels(selector).list()
                .getItems().stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences()
                        .stream().anyMatch(o -> "Deployment".equals(o.getKind()) && name.equals(o.getName())
                                && (deployment.getMetadata().getUid() == null || o.getUid() == null
                                        || deployment.getMetadata().getUid().equals(o.getUid()))))
                .filter(rs -> revisionOf(rs.getMetadata().getAnnotations()) > 0)
                .toList();
        return owned.stream()
                .map(rs -> {
                    long revision = revisionOf(rs.getMetadata().getAnnotations());
                    var annotations = rs.getMetadata().getAnnotations();
                    String created = rs.getMetadata().getCreationTimestamp();
                    return new Revision(revision,
                            rs.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage).toList(),
                            created == null ? null : Instant.parse(created),
                            annotations == null ? null : annotations.get(CHANGE_CAUSE),
                            revision == current, rs.getSpec().getTemplate());
                })
                .sorted(Comparator.comparingLong(Revision::revision).reversed())
                .toList();
    }

    /** Whether a Deployment's pod template is that of a ReplicaSet, apart from the ReplicaSet's pod-template-hash label. */
    public static boolean sameTemplate(PodTemplateSpec deployment, PodTemplateSpec replicaSet) {
        return withoutHash(deployment).equals(withoutHash(replicaSet));
    }

    /** {@code template} without the pod-template-hash label the controller adds to a ReplicaSet's pods. */
    public static PodTemplateSpec withoutHash(PodTemplateSpec template) {
        PodTemplateSpec copy = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(template).build();
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            Map<String, String> labels = new java.util.HashMap<>(copy.getMetadata().getLabels());
            labels.remove(POD_TEMPLATE_HASH);
            copy.getMetadata().setLabels(labels);
        }
        return copy;
    }

    public static long revisionOf(Map<String, String> annotations) {
        if (annotations == null || annotations.get(REVISION) == null) {
            return 0;
        }
        try {
            return Long.parseLong(annotations.get(REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The revision to roll back to: {@code wanted}, or the newest one older than the current one. */
    public Revision target(List<Revision> revisions, long current, Long wanted) {
        if (wanted != null) {
            Optional<Revision> named = revisions.stream().filter(r -> r.revision() == wanted).findFirst();
            return named.orElseThrow(() -> ProblemException.badRequest("No revision " + wanted + "; known revisions: "
                    + String.join(", ", revisions.stream().map(r -> Long.toString(r.revision())).toList()) + "."));
        }
        return revisions.stream().filter(r -> r.revision() < current).findFirst()
                .orElseThrow(() -> ProblemException.conflict("There is no revision before the current one ("
                        + current + ") to roll back to."));
    }
}
