package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.problem.SqlErrors;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.client.BackupClient;
import ai.loopgpt.dr.recovery.client.BackupDto;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Checks and accepts restores, runs them in the background, and closes those a dead process left open. */
@ApplicationScoped
public class RestoreService {

    private static final Logger LOG = Logger.getLogger(RestoreService.class);

    private final RecoverySettings settings;
    private final BackupClient backups;
    private final RestoreEngine engine;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "restore-worker");
        t.setDaemon(true);
        return t;
    });

    public RestoreService(RecoverySettings settings, BackupClient backups, RestoreEngine engine) {
        this.settings = settings;
        this.backups = backups;
        this.engine = engine;
    }

    /** What a restore request asks for, already checked for shape and roles. */
    public record Request(UUID backupId, String target, Instant latestBefore, String destination, String mode) {
    }

    public Restore request(Request request, String requestedBy) {
        if (!settings.destinations().containsKey(request.destination())) {
            throw ProblemException.badRequest("Destination '" + request.destination()
                    + "' is not in the allow-list (recovery.destinations): "
                    + String.join(", ", settings.destinations().keySet()) + ".");
        }
        BackupDto backup = request.backupId() != null
                ? backups.backup(request.backupId()).orElseThrow(() -> ProblemException.badRequest(
                        "backup-service knows no backup " + request.backupId() + "."))
                : backups.latestBefore(request.target(), request.latestBefore()).orElseThrow(() ->
                        ProblemException.badRequest("backup-service has no good backup of '" + request.target()
                                + "' taken before " + request.latestBefore() + "."));
        if (!backup.succeeded()) {
            throw ProblemException.conflict("Backup " + backup.id() + " is " + backup.phase()
                    + "; only SUCCEEDED backups can be restored.");
        }
        if (backup.tableRows() == null || backup.sha256() == null) {
            throw ProblemException.conflict("Backup " + backup.id() + " has no checksum or row counts to verify against.");
        }
        Restore restore;
        try {
            restore = QuarkusTransaction.requiringNew().call(() -> {
                Restore r = new Restore();
                r.id = UUID.randomUUID();
                r.backupId = backup.id();
                r.target = backup.target();
                r.destination = request.destination();
                r.mode = request.mode();
                r.phase = Restore.Phase.PENDING;
                r.requestedBy = requestedBy;
                r.createdAt = engine.now();
                r.backupStartedAt = backup.startedAt();
                r.bytesTotal = backup.sizeBytes();
                r.persist();
                return r;
            });
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw ProblemException.conflict("A restore into '" + request.destination()
                        + "' is already running; wait for it to finish.");
            }
            throw e;
        }
        workers.execute(() -> engine.run(restore.id, backup));
        LOG.infof("Restore %s of backup %s into %s (%s) accepted for %s", restore.id, backup.id(),
                request.destination(), request.mode(), requestedBy);
        return restore;
    }


    public Restore get(UUID id) {
        return Restore.<Restore>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("restore", id));
    }

    public PageOf<Restore> list(String destination, int page, int size) {
        Sort newestFirst = Sort.descending("createdAt").and("id");
        var found = destination == null ? Restore.<Restore>findAll(newestFirst)
                : Restore.<Restore>find("destination", newestFirst, destination);
        return new PageOf<>(found.page(page, size).list(), page, size, found.count());
    }

    /** A process that died mid-restore left its restore RUNNING: it ends FAILED, its staging database dropped. */
    void onStart(@Observes StartupEvent start) {
        List<Restore> open = QuarkusTransaction.requiringNew().call(
                () -> Restore.<Restore>list("phase in ?1", List.of(Restore.Phase.PENDING, Restore.Phase.RUNNING)));
        for (Restore r : open) {
            var destination = settings.destinations().get(r.destination);
            if (r.stagingDatabase != null && destination != null) {
                try {
                    DatabaseAdmin.drop(destination, r.stagingDatabase);
                } catch (Exception e) {
                    LOG.warnf("Could not drop staging database %s: %s", r.stagingDatabase, e.getMessage());
                }
            }
            QuarkusTransaction.requiringNew().run(() -> {
                Restore stale = Restore.findById(r.id);
                stale.phase = Restore.Phase.FAILED;
                stale.finishedAt = engine.now();
                stale.failureReason = "Interrupted: recovery-service stopped during step '" + r.step
                        + "'. The destination was not replaced; start the restore again.";
            });
            LOG.warnf("Restore %s was left %s by a stopped process: marked FAILED", r.id, r.phase);
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        workers.shutdownNow();
        try {
            workers.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }
}
