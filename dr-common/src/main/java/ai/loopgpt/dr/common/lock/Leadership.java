package ai.loopgpt.dr.common.lock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One replica at a time does a job that must not run twice (probing, timed transitions): it leads
 * that job while it holds the job's advisory lock. A replica that dies loses the lock with its
 * session, and the next replica to ask takes over.
 */
@ApplicationScoped
public class Leadership {

    /** The lock space of leadership ("DRL1"). */
    private static final int SPACE = 0x44524c31;
    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final AdvisoryLocks locks;
    private final Map<String, AdvisoryLocks.Held> held = new HashMap<>();

    public Leadership(AdvisoryLocks locks) {
        this.locks = locks;
    }

    /** Whether this replica leads {@code job} now, taking the lead if no replica has it. */
    public synchronized boolean leads(String job) {
        AdvisoryLocks.Held lock = held.get(job);
        if (lock != null) {
            if (lock.valid()) {
                return true;
            }
            lock.close();
            held.remove(job);
            LOG.warnf("Lost the lead of %s (the database connection holding it dropped)", job);
        }
        try {
            lock = locks.tryLock(SPACE, job);
        } catch (IllegalStateException e) {
            return false; // The database is unavailable: nobody can be sure to lead; do nothing this round.
        }
        if (lock == null) {
            return false;
        }
        held.put(job, lock);
        LOG.infof("This replica now leads %s", job);
        return true;
    }

    @PreDestroy
    synchronized void release() {
        held.values().forEach(AdvisoryLocks.Held::close);
        held.clear();
    }
}
