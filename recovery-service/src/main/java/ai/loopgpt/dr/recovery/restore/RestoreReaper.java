package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.OrphanReaper;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.recovery.config.RecoverySettings;
import ai.loopgpt.dr.recovery.config.RecoverySettings.Destination;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Settles what no live replica owns, at start-up and every {@code recovery.reaper-every}: a restore
 * PENDING or RUNNING whose ownership lock anyone can take was left by a process that died. Its
 * staging database is dropped and it ends FAILED, unless it died during the swap and the swap had
 * committed: then the destination holds the verified backup and it ends SUCCEEDED. Restores other
 * replicas are running are never touched. Databases replaced in place are dropped once
 * {@code recovery.replaced-retention} has passed.
 */
@ApplicationScoped
public class RestoreReaper {

    /** The lock space of restores ("DRS1"): one lock per restore id, held by the replica running it. */
    static final int LOCK_SPACE = 0x44525331;
    private static final Logger LOG = Logger.getLogger(RestoreReaper.class);

    private final RecoverySettings settings;
    private final RestoreRecords records;
    private final OrphanReaper<Restore> orphans;

    public RestoreReaper(RecoverySettings settings, RestoreRecords records, AdvisoryLocks locks) {
        this.settings = settings;
        this.records = records;
        this.orphans = new OrphanReaper<>("restore",
                () -> QuarkusTransaction.requiringNew().call(() -> Restore.<Restore>list("phase in ?1", JobPhase.OPEN)),
                r -> locks.tryLock(LOCK_SPACE, r.id.toString()), candidate -> {
                    Restore r = records.get(candidate.id);
                    if (!r.phase.isFinal()) {
                        settle(r);
                    }
                });
    }

    /**
     * Settles what a stopped process left, beside start-up rather than before it: a drop waiting on a
     * lock (bounded by lock_timeout, retried every round) never keeps the service from answering.
     */
    void onStart(@Observes StartupEvent start) {
        OrphanReaper.atStartup("restore", this::reap);
    }

    @Scheduled(every = "${recovery.reaper-every:30s}", delayed = "${recovery.reaper-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        orphans.reap();
        dropExpiredReplacedDatabases();
    }

    private void settle(Restore r) throws Exception {
        Destination destination = settings.destinations().get(r.destination);
        String where = "Interrupted: the recovery-service replica running this restore stopped";
        if (destination == null) {
            records.fail(r.id, where + ", and its destination '" + r.destination + "' is no longer configured"
                    + (r.stagingDatabase == null ? "." : "; drop its staging database " + r.stagingDatabase + " by hand."),
                    null);
            return;
        }
        if ("swapping".equals(r.step)) {
            switch (DatabaseSwap.inspect(destination, r.stagingDatabase)) {
                case SWAPPED -> {
                    records.succeed(r.id, destination.database(), r.replacedDatabase, null);
                    LOG.warnf("Restore %s was interrupted after its swap committed: %s holds the restored backup",
                            r.id, destination.database());
                }
                case NOT_SWAPPED -> {
                    DatabaseAdmin.drop(destination, r.stagingDatabase);
                    records.fail(r.id, where + " before the swap committed. The destination '" + destination.database()
                            + "' keeps its original data and the restored copy was dropped; restore again.", null);
                }
                case NOTHING -> records.fail(r.id, where + " during the swap, and no database '"
                        + destination.database() + "' exists"
                        + (r.replacedDatabase == null ? "." : "; its previous data is in " + r.replacedDatabase
                                + " if that database exists.")
                        + " Check the server before restoring again.", null);
            }
            return;
        }
        if (r.stagingDatabase != null) {
            DatabaseAdmin.drop(destination, r.stagingDatabase);
            if ("drill".equals(r.mode)) {
                // A drill's copy in the scratch destination is gone: the record says so, as a finished drill's does.
                records.recordScratchDropped(r.id);
            }
        }
        String during = r.phase == JobPhase.PENDING || r.step == null ? " before the restore started."
                : " during step '" + r.step + "'.";
        records.fail(r.id, where + during + ("in-place".equals(r.mode)
                ? " The destination was not replaced: it keeps its original data." : "")
                + (r.stagingDatabase == null ? "" : " Its staging database was dropped.") + " Start the restore again.",
                null);
    }

    /** Drops databases replaced in place once they have been kept for recovery.replaced-retention. */
    void dropExpiredReplacedDatabases() {
        var cutoff = records.now().minus(settings.replacedRetention());
        List<Restore> expired = QuarkusTransaction.requiringNew().call(() -> Restore.<Restore>list(
                "phase = ?1 and replacedDatabase is not null and replacedDroppedAt is null and finishedAt < ?2",
                JobPhase.SUCCEEDED, cutoff));
        for (Restore r : expired) {
            try {
                dropReplaced(r.id, "retention");
            } catch (Exception e) {
                LOG.warnf("Could not drop %s, replaced by restore %s: %s", r.replacedDatabase, r.id, e.getMessage());
            }
        }
    }

    /** Drops the database restore {@code id} replaced, once; {@code by} says who asked. */
    public Restore dropReplaced(UUID id, String by) throws Exception {
        Restore r = records.get(id);
        if (r == null) {
            throw ProblemException.notFound("restore", id);
        }
        if (r.replacedDatabase == null || r.phase != JobPhase.SUCCEEDED) {
            throw ProblemException.conflict("Restore " + id + " replaced no database; nothing to drop.");
        }
        if (r.replacedDroppedAt != null) {
            throw ProblemException.conflict("The database " + r.replacedDatabase + " replaced by restore " + id
                    + " was already dropped at " + r.replacedDroppedAt + ".");
        }
        Destination destination = settings.destinations().get(r.destination);
        if (destination == null) {
            throw ProblemException.conflict("The destination '" + r.destination + "' is no longer configured; drop "
                    + r.replacedDatabase + " by hand.");
        }
        DatabaseAdmin.drop(destination, r.replacedDatabase);
        Restore dropped = records.recordReplacedDropped(id);
        LOG.infof("Dropped %s, the database restore %s replaced (%s)", r.replacedDatabase, id, by);
        return dropped;
    }
}
