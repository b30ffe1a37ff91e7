package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.stream.StreamChain.Phase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The replication slots of a streamed target, seen from its server: the WAL each active slot keeps
 * (a slot nobody confirms must never fill the disk), whether a chain's slot still exists, and slots
 * whose chain has ended, dropped.
 */
@ApplicationScoped
public class SlotWatch {

    private static final Logger LOG = Logger.getLogger(SlotWatch.class);

    private final BackupSettings settings;
    private final StreamChains chains;

    public SlotWatch(BackupSettings settings, StreamChains chains) {
        this.settings = settings;
        this.chains = chains;
    }

    /**
     * Measures the WAL the chain's slot keeps on the server and records it; the reason to drop the
     * slot when it keeps more than the limit (or the server invalidated it: {@code
     * max_slot_wal_keep_size}), else null.
     */
    String overLimit(Target target, StreamChain chain) {
        long retained;
        String walStatus;
        try (Connection c = ReplicationSession.plain(target, 15);
                var s = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, wal_status "
                        + "FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, chain.slotName);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null; // gone: the streamer ends the chain as slot-lost
                }
                retained = rs.getLong(1);
                walStatus = rs.getString(2);
            }
        } catch (Exception e) {
            LOG.debugf("Stream of %s: WAL kept by slot %s not measured: %s", target.name(), chain.slotName, e.getMessage());
            return null;
        }
        chains.recordRetained(chain.id, retained);
        long limit = settings.stream().retainedWalLimitMib() * 1024 * 1024;
        if (retained <= limit && !"lost".equals(walStatus)) {
            return null;
        }
        return "lost".equals(walStatus)
                ? "the server invalidated slot " + chain.slotName + " (max_slot_wal_keep_size)"
                : "slot " + chain.slotName + " kept " + retained / (1024 * 1024) + " MiB of WAL on the server, more than "
                        + "backup.stream.retained-wal-limit-mib (" + settings.stream().retainedWalLimitMib() + ")";
    }

    /** The target's slots of chains that ended (a drop that failed before): dropped, so they keep no WAL. */
    void sweep(Target target) {
        // dr_<target>_<8 hex digits> exactly: target "a" never takes the slots of target "a-b".
        String pattern = "^dr_" + target.name().replace('-', '_') + "_[0-9a-f]{8}$";
        try (Connection c = ReplicationSession.plain(target, 15);
                var s = c.prepareStatement("SELECT slot_name FROM pg_replication_slots WHERE NOT active "
                        + "AND database = current_database() AND slot_name::text ~ ?")) {
            s.setString(1, pattern);
            List<String> slots = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    slots.add(rs.getString(1));
                }
            }
            // Read after the slots: a chain is recorded STARTING before its slot is created, so every slot
            // listed above that belongs to a live chain finds that chain here.
            List<String> open = new ArrayList<>();
            for (Phase phase : List.of(Phase.STARTING, Phase.ACTIVE)) {
                chains.inPhase(phase).stream().filter(chain -> chain.target.equals(target.name()))
                        .forEach(chain -> open.add(chain.slotName));
            }
            for (String slot : slots) {
                if (!open.contains(slot)) {
                    LOG.infof("Stream of %s: dropping slot %s, whose chain has ended", target.name(), slot);
                    ReplicationSession.dropSlot(target, slot);
                }
            }
        } catch (Exception e) {
            LOG.debugf("Stream of %s: slots not checked: %s", target.name(), e.getMessage());
        }
    }

    /** Whether {@code slot} exists in the target's database. */
    static boolean exists(Target target, String slot) throws Exception {
        try (Connection c = ReplicationSession.plain(target, 15);
                var s = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()")) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
