package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One backup per target at a time, across every replica: an advisory lock per target, held for as
 * long as the backup runs. If the process dies the lock goes with its session, which is how orphans
 * are recognised.
 */
@ApplicationScoped
public class BackupLocks {

    /** The lock space of backups ("DRB1"). */
    private static final int SPACE = 0x44524231;

    private final AdvisoryLocks locks;

    public BackupLocks(AdvisoryLocks locks) {
        this.locks = locks;
    }

    /** The lock of {@code target} if nobody holds it, else null. */
    public AdvisoryLocks.Held tryLock(String target) {
        return locks.tryLock(SPACE, target);
    }
}
