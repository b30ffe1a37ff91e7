package ai.loopgpt.dr.common.job;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Settles the jobs of one kind that a stopped replica left open, the same way for every kind: the
 * open rows; for each, is it owned by a live replica? (A replica running a job holds its advisory
 * lock for as long as it runs, and a process that dies loses it with its session: a lock this
 * replica can take belongs to nobody alive.) If not, it is settled from the real state (the
 * bucket, the databases, the cluster) while that lock is held, so no other replica settles it too.
 */
public final class OrphanReaper<J extends JobRecord> {

    private static final Logger LOG = Logger.getLogger(OrphanReaper.class);

    /** Settles one job nobody owns; the row may have ended since it was listed, so it is read again. */
    @FunctionalInterface
    public interface Settle<J> {
        void settle(J job) throws Exception;
    }

    private final String kind;
    private final Supplier<List<J>> open;
    private final Function<J, ? extends AutoCloseable> claim;
    private final Settle<J> settle;

    /**
     * @param kind what one job is called in a log line ({@code backup}, {@code restore})
     * @param open the rows still open (PENDING or RUNNING)
     * @param claim takes a job's ownership lock; null while a live replica holds it
     * @param settle settles a job nobody owns from the real state
     */
    public OrphanReaper(String kind, Supplier<List<J>> open, Function<J, ? extends AutoCloseable> claim,
            Settle<J> settle) {
        this.kind = kind;
        this.open = open;
        this.claim = claim;
        this.settle = settle;
    }

    /**
     * One round: every open job nobody owns is settled. One that cannot be settled now (a peer
     * unreachable, a database busy) is logged and left for the next round.
     *
     * @return how many jobs were found without an owner
     */
    public int reap() {
        int orphans = 0;
        for (J job : open.get()) {
            AutoCloseable lock = claim.apply(job);
            if (lock == null) {
                continue; // A live replica runs it.
            }
            orphans++;
            try (lock) {
                settle.settle(job);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return orphans;
            } catch (Exception e) {
                LOG.warnf("Could not settle the interrupted %s %s yet (retried on the next round): %s", kind, job.id,
                        e.getMessage());
            }
        }
        return orphans;
    }

    /**
     * Runs a first {@code round} beside start-up, not before it: a slow peer (S3, a database, the
     * Kubernetes API) never keeps the service from answering; the schedule repeats it from there.
     */
    public static void atStartup(String kind, Runnable round) {
        Thread settling = new Thread(() -> {
            try {
                round.run();
            } catch (RuntimeException e) {
                LOG.warnf("Could not settle interrupted %ss at start-up (retried on schedule): %s", kind, e.getMessage());
            }
        }, kind + "-reaper-at-start");
        settling.setDaemon(true);
        settling.start();
    }
}
