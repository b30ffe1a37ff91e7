package ai.loopgpt.dr.recovery.rollback;


import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.OrphanReaper;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.problem.SqlErrors;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.metrics.RecoveryMetrics;
import ai.loopgpt.dr.recovery.rollback.DeploymentHistory.Revision;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Rolls a Deployment back as {@code kubectl rollout undo [--to-revision]} does: the pod template of
 * the chosen revision's ReplicaSet (without its pod-template-hash) becomes the Deployment's
 * template; then it waits for the rollout and checks the health URL.
 */
@ApplicationScoped
public class RollbackService {

    private static final Logger LOG = Logger.getLogger(RollbackService.class);
    /** The lock space of rollbacks ("DRK1"): one lock per rollback id, held by the replica running it. */
    static final int LOCK_SPACE = 0x44524b31;

    private final KubernetesClient kubernetes;
    private final DeploymentHistory history;
    private final RecoverySettings settings;
    private final RecoveryMetrics metrics;
    private final Clock clock;
    private final AdvisoryLocks locks;
    /** Rollbacks left open by a replica that stopped: they end FAILED. */
    private final OrphanReaper<Rollback> orphans;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rollback-worker");
        t.setDaemon(true);
        return t;
    });

    public RollbackService(KubernetesClient kubernetes, DeploymentHistory history, RecoverySettings settings,
            RecoveryMetrics metrics, Clock clock, AdvisoryLocks locks) {
        this.locks = locks;
        this.kubernetes = kubernetes;
        this.history = history;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.orphans = new OrphanReaper<>("rollback",
                () -> QuarkusTransaction.requiringNew().call(() -> Rollback.<Rollback>list("phase in ?1", JobPhase.OPEN)),
                r -> locks.tryLock(LOCK_SPACE, r.id.toString()), this::settle);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Checks a rollback request as the API receives it (the health URL an http(s) URL on the
     * allow-list) and starts it.
     */
    public Rollback start(RollbackRequest body, String requestedBy) {
        java.net.URI health = null;
        if (body.healthUrl() != null) {
            try {
                health = java.net.URI.create(body.healthUrl());
                if (!"http".equals(health.getScheme()) && !"https".equals(health.getScheme()) || health.getHost() == null) {
                    throw new IllegalArgumentException("not http(s)");
                }
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("healthUrl must be an http(s) URL with a host, not '"
                        + ProblemException.shorten(body.healthUrl()) + "'.");
            }
            if (!HealthUrls.allowed(health, body.namespace(), settings.healthHosts().orElse(List.of()))) {
                throw ProblemException.badRequest("healthUrl's host '" + ProblemException.shorten(health.getHost())
                        + "' is not allowed: use an in-cluster service of namespace " + body.namespace()
                        + " (<service>." + body.namespace() + ".svc) or a host listed in recovery.health-hosts.");
            }
        }
        return request(body.namespace(), body.deployment(), body.toRevision(), health, requestedBy);
    }

    public Rollback request(String namespace, String name, Long toRevision, URI healthUrl, String requestedBy) {
        Deployment deployment = history.deployment(namespace, name);
        long current = DeploymentHistory.revisionOf(deployment.getMetadata().getAnnotations());
        var revisions = history.revisions(namespace, name);
        Revision target = history.target(revisions, current, toRevision);
        // As `kubectl rollout undo` decides it: by the pod template, not the revision annotation, which the
        // Deployment controller updates only after it has seen a change (right after a rollback it can
        // still name the revision rolled back from).
        if (DeploymentHistory.sameTemplate(deployment.getSpec().getTemplate(), target.template())) {
            throw ProblemException.conflict("Deployment " + namespace + "/" + name + " is already at revision "
                    + target.revision() + " (it runs that revision's pod template).");
        }
        UUID id = UUID.randomUUID();
        // Owned from before the row exists: the reaper never takes a rollback a live replica is starting.
        AdvisoryLocks.Held ownership = locks.tryLock(LOCK_SPACE, id.toString());
        Rollback rollback;
        try {
            rollback = QuarkusTransaction.requiringNew().call(() -> {
                Rollback r = new Rollback();
                r.id = id;
                r.namespace = namespace;
                r.deployment = name;
                r.fromRevision = current == 0 ? null : current;
                r.toRevision = target.revision();
                r.images = String.join(",", target.images());
                r.healthUrl = healthUrl == null ? null : healthUrl.toString();
                r.phase = JobPhase.PENDING;
                r.requestedBy = requestedBy;
                r.createdAt = now();
                r.persist();
                return r;
            });
        } catch (RuntimeException e) {
            ownership.close();
            if (SqlErrors.isUniqueViolation(e)) {
                String running = QuarkusTransaction.requiringNew().call(() -> Rollback.<Rollback>find(
                        "namespace = ?1 and deployment = ?2 and phase in ?3", namespace, name,
                        JobPhase.OPEN).firstResultOptional()
                        .map(r -> " (" + r.id + ", GET /api/v1/rollbacks/" + r.id + ")").orElse(""));
                throw ProblemException.conflict("A rollback of " + namespace + "/" + name + " is already running"
                        + running + "; wait for it to finish.");
            }
            throw e;
        }
        try {
            workers.execute(() -> {
                try (ownership) {
                    run(rollback.id, target);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Rollback %s could not be run to its end; the reaper settles it", rollback.id);
                }
            });
        } catch (RejectedExecutionException e) {
            ownership.close();
            finish(rollback.id, JobPhase.FAILED, "recovery-service was shutting down; nothing was changed.", null);
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "recovery-service is shutting down; retry on "
                    + "another replica.");
        }
        LOG.infof("Rollback %s of %s/%s from revision %d to %d accepted for %s", rollback.id, namespace, name, current,
                target.revision(), requestedBy);
        return rollback;
    }

    void run(UUID id, Revision target) {
        Rollback started = QuarkusTransaction.requiringNew().call(() -> {
            Rollback r = Rollback.findById(id);
            r.moveTo(JobPhase.RUNNING, now());
            return r;
        });
        try {
            PodTemplateSpec template = DeploymentHistory.withoutHash(target.template());
            Deployment patched = kubernetes.apps().deployments().inNamespace(started.namespace).withName(started.deployment)
                    .edit(d -> {
                        DeploymentBuilder builder = new DeploymentBuilder(d).editSpec().withTemplate(template).endSpec();
                        if (target.changeCause() != null) {
                            builder.editMetadata().addToAnnotations(DeploymentHistory.CHANGE_CAUSE, target.changeCause())
                                    .endMetadata();
                        }
                        return builder.build();
                    });
            awaitRollout(started, patched);
            Integer health = started.healthUrl == null ? null : checkHealth(URI.create(started.healthUrl));
            finish(id, JobPhase.SUCCEEDED, null, health);
        } catch (RolloutFailure e) {
            finish(id, JobPhase.FAILED, e.getMessage(), e.status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(id, JobPhase.FAILED, "Interrupted: recovery-service is shutting down.", null);
        } catch (RuntimeException e) {
            finish(id, JobPhase.FAILED, "Kubernetes refused the rollback: " + e.getMessage(), null);
        }
    }

    static final class RolloutFailure extends Exception {
        final Integer status;

        RolloutFailure(String message, Integer status) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Waits until the Deployment controller has seen the new template and every replica is updated and available. */
    private void awaitRollout(Rollback rollback, Deployment patched) throws RolloutFailure, InterruptedException {
        long deadline = System.nanoTime() + settings.rolloutTimeout().toNanos();
        Long generation = patched.getMetadata().getGeneration();
        String last = "no status yet";
        while (System.nanoTime() < deadline) {
            Deployment now = kubernetes.apps().deployments().inNamespace(rollback.namespace).withName(rollback.deployment).get();
            if (now == null) {
                throw new RolloutFailure("Deployment " + rollback.namespace + "/" + rollback.deployment + " disappeared.", null);
            }
            DeploymentStatus status = now.getStatus();
            int wanted = now.getSpec().getReplicas() == null ? 1 : now.getSpec().getReplicas();
            if (status != null) {
                boolean observed = generation == null || status.getObservedGeneration() == null
                        || status.getObservedGeneration() >= generation;
                int updated = Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
                int available = Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
                int total = Objects.requireNonNullElse(status.getReplicas(), 0);
                if (observed && updated == wanted && available == wanted && total == wanted) {
                    return;
                }
                last = updated + " of " + wanted + " updated, " + available + " available";
            }
            Thread.sleep(500);
        }
        throw new RolloutFailure("The rollout did not finish within " + settings.rolloutTimeout() + " (" + last
                + "). Check the pods: kubectl -n " + rollback.namespace + " rollout status deployment/" + rollback.deployment,
                null);
    }

    /** GETs the health URL until it answers 2xx, for up to recovery.health-check-timeout. */
    private int checkHealth(URI url) throws RolloutFailure, InterruptedException {
        long deadline = System.nanoTime() + settings.healthCheckTimeout().toNanos();
        String last = "no answer";
        Integer status = null;
        do {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                if (status / 100 == 2) {
                    return status;
                }
                last = "HTTP " + status;
            } catch (java.io.IOException e) {
                last = "no answer";
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new RolloutFailure("Rolled out, but the health check " + url + " did not answer 2xx within "
                + settings.healthCheckTimeout() + " (last: " + last + ").", status);
    }

    private void finish(UUID id, JobPhase phase, String reason, Integer health) {
        Rollback done = QuarkusTransaction.requiringNew().call(() -> {
            Rollback r = Rollback.findById(id);
            if (r.phase.isFinal()) {
                return null;
            }
            r.moveTo(phase, now());
            r.failureReason = reason;
            r.healthStatus = health;
            return r;
        });
        if (done == null) {
            return;
        }
        metrics.rollbackFinished(done.namespace, done.deployment, phase == JobPhase.SUCCEEDED,
                Duration.between(done.startedAt, done.finishedAt));
        LOG.infof("Rollback %s of %s/%s to revision %d: %s%s", id, done.namespace, done.deployment, done.toRevision,
                phase, reason == null ? "" : " (" + reason + ")");
    }

    public Rollback get(UUID id) {
        return Rollback.<Rollback>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("rollback", id));
    }

    public PageOf<Rollback> list(int page, int size) {
        var found = Rollback.<Rollback>findAll(Sort.descending("createdAt").and("id"));
        return new PageOf<>(found.page(page, size).list(), page, size, found.count());
    }

    /** Settles what a stopped process left beside start-up, not before it: a slow Kubernetes API never keeps the port closed. */
    void onStart(@Observes StartupEvent start) {
        OrphanReaper.atStartup("rollback", this::reap);
    }

    /**
     * A rollback PENDING or RUNNING whose ownership lock anyone can take was left by a replica that
     * stopped: it ends FAILED, saying the Deployment may be mid-rollout. Others' rollbacks are left alone.
     */
    @Scheduled(every = "${recovery.reaper-every:30s}", delayed = "${recovery.reaper-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        orphans.reap();
    }

    private void settle(Rollback candidate) {
        Rollback r = QuarkusTransaction.requiringNew().call(() -> Rollback.<Rollback>findById(candidate.id));
        if (!r.phase.isFinal()) {
            finish(r.id, JobPhase.FAILED, "Interrupted: the recovery-service replica running this rollback "
                    + "stopped" + (r.phase == JobPhase.PENDING ? " before it started." : " while it ran; the "
                    + "Deployment may be mid-rollout. Check it (kubectl -n " + r.namespace + " rollout status deployment/"
                    + r.deployment + ") and roll back again if needed."), null);
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        workers.shutdownNow();
    }
}
