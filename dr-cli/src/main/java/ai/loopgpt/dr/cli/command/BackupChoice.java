package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * Which backup a restore takes, one of: {@code --backup ID}, {@code --latest} (the target's newest
 * good backup), {@code --latest-before TIME} or {@code --to-time TIME} (a streamed target as it was
 * then: its base backup and its changes up to that time). An exclusive {@code @ArgGroup} of {@code restore
 * create} and of {@code incident step … restore-database}, so picocli refuses two at once.
 */
public class BackupChoice {

    @Option(names = "--backup", paramLabel = "ID", description = "The backup to restore.")
    String backupId;

    @Option(names = "--latest", description = "The target's newest good backup (needs --target).")
    boolean latest;

    @Option(names = "--latest-before", paramLabel = "TIME",
            description = "The target's newest good backup taken before this time (ISO time, or a duration ago: 1h; "
                    + "needs --target).")
    String latestBefore;

    @Option(names = "--to-time", paramLabel = "TIME",
            description = "A streamed target as it was at this time: its base backup, then its changes up to the last "
                    + "committed at or before it (ISO time, or a duration ago: 10m; needs --target).")
    String toTime;

    /** Whether a backup of the target (not one by id) is asked for: then a target is needed. */
    boolean byTarget() {
        return latest || latestBefore != null || toTime != null;
    }

    /** The option that named the target's backup, for messages. */
    String byTargetOption() {
        return latest ? "--latest" : latestBefore != null ? "--latest-before" : "--to-time";
    }

    /** Puts backupId, latest, latestBefore or toTime into a restore request (as POST /api/v1/restores takes it). */
    void putInto(ObjectNode restore, Instant now) {
        if (backupId != null) {
            restore.put("backupId", backupId);
        } else if (latest) {
            restore.put("latest", true);
        } else if (latestBefore != null) {
            restore.put("latestBefore", Text.parseTime(latestBefore, now).toString());
        } else if (toTime != null) {
            restore.put("toTime", Text.parseTime(toTime, now).toString());
        }
    }
}
