package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.config.BackupSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * The base backups of streamed targets: before the dump, a new chain's slot is created, exporting the
 * snapshot the dump is then taken in, so the slot's first change is the first one the base lacks.
 * The chain is recorded STARTING before the slot exists, so a crash at any point leaves a row that
 * names the slot to drop.
 */
@ApplicationScoped
public class StreamBases {

    private static final Logger LOG = Logger.getLogger(StreamBases.class);

    private final BackupSettings settings;
    private final StreamChains chains;

    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public StreamBases(BackupSettings settings, StreamChains chains, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.json = json;
        this.settings = settings;
        this.chains = chains;
    }

    /** Configured to stream, and not stopped to protect its server. */
    public boolean streams(String target) {
        return configured(target) && chains.disabled(target) == null;
    }

    /** {@code backup.targets."<target>".stream=true}. */
    public boolean configured(String target) {
        BackupSettings.Target configured = settings.targets().get(target);
        return configured != null && configured.stream();
    }

    /**
     * Creates the slot of a new chain for the backup {@code backupId}; the returned base holds the
     * replication session whose exported snapshot the dump must use, until {@link Base#close}.
     */
    public Base begin(UUID backupId, Target target) throws SQLException {
        StreamChain chain = chains.markStarting(backupId, target.name());
        ReplicationSession session = null;
        try {
            session = ReplicationSession.open(target, 15);
            ReplicationSlotInfo slot = session.createSlot(chain.slotName);
            Snapshot snapshot = snapshot(target, slot.getSnapshotName());
            chains.recordConsistentPoint(backupId, slot.getConsistentPoint().asLong(), snapshot.coverFrom(),
                    json.writeValueAsString(snapshot.shapes()));
            LOG.infof("Stream of %s: slot %s created at %s for base backup %s", target.name(), chain.slotName,
                    slot.getConsistentPoint().asString(), backupId);
            return new Base(backupId, target, chain.slotName, slot.getSnapshotName(), session);
        } catch (SQLException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            if (session != null) {
                session.close();
            }
            dropQuietly(target, chain.slotName);
            chains.fail(backupId, "The slot could not be created: " + e.getMessage());
            throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
        }
    }

    /**
     * The shape of every table in the snapshot {@code snapshotName}, as pgoutput describes a table
     * (columns in order, generated and dropped ones left out): what the stream's Relation messages are
     * compared with.
     */
    /** What the base's snapshot holds: its tables' shapes, and a time after every commit it has. */
    record Snapshot(java.util.List<PgOutputMessage.Relation> shapes, java.time.Instant coverFrom) {}

    static Snapshot snapshot(Target target, String snapshotName) throws SQLException {
        if (!snapshotName.matches("[0-9A-Fa-f-]{1,64}")) {
            throw new SQLException("not a snapshot name: " + snapshotName);
        }
        java.util.Map<Integer, PgOutputMessage.Relation> shapes = new java.util.LinkedHashMap<>();
        try (Connection c = ReplicationSession.plain(target, 15); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
            try (var rs = s.executeQuery("""
                    SELECT c.oid, n.nspname, c.relname, a.attname, a.atttypid, a.atttypmod
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                    WHERE c.relkind = 'r' AND c.relpersistence = 'p'
                      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                    ORDER BY c.oid, a.attnum""")) {
                while (rs.next()) {
                    int oid = (int) rs.getLong(1);
                    PgOutputMessage.Column column = new PgOutputMessage.Column(rs.getString(4), (int) rs.getLong(5),
                            rs.getInt(6), false);
                    PgOutputMessage.Relation known = shapes.get(oid);
                    java.util.List<PgOutputMessage.Column> columns = new java.util.ArrayList<>(
                            known == null ? java.util.List.of() : known.columns());
                    columns.add(column);
                    shapes.put(oid, new PgOutputMessage.Relation(oid, rs.getString(2), rs.getString(3), 'd', columns));
                }
            }
            java.time.Instant coverFrom;
            try (var rs = s.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                coverFrom = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
            c.rollback();
            return new Snapshot(java.util.List.copyOf(shapes.values()), coverFrom);
        }
    }

    /**
     * Why {@code target} cannot stream as it is (null when it can): the server's {@code wal_level},
     * the user's REPLICATION attribute, the publication, tables whose rows could not be found again
     * (no replica identity: the server refuses their UPDATE and DELETE once published), large objects
     * (not carried by logical decoding). Each reason says what to change.
     */
    public String cannotStream(Target target) throws SQLException {
        return cannotStream(target, settings.stream().publication());
    }

    /** {@link #cannotStream(Target)} with the publication {@code publication}. */
    static String cannotStream(Target target, String publication) throws SQLException {
        try (Connection c = ReplicationSession.plain(target, 15); var s = c.createStatement()) {
            java.util.List<String> reasons = new java.util.ArrayList<>();
            try (var rs = s.executeQuery("SELECT current_setting('wal_level'), "
                    + "(SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user)")) {
                rs.next();
                if (!"logical".equals(rs.getString(1))) {
                    reasons.add("the server runs wal_level=" + rs.getString(1) + ": set wal_level=logical and restart it");
                }
                if (!rs.getBoolean(2)) {
                    reasons.add("user " + target.user() + " may not replicate: ALTER ROLE " + target.user() + " REPLICATION");
                }
            }
            try (var p = c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
                p.setString(1, publication);
                try (var rs = p.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        reasons.add("the database has no publication " + publication + " for all tables: as a superuser on "
                                + target.database() + ", run CREATE PUBLICATION " + publication + " FOR ALL TABLES");
                    }
                }
            }
            java.util.List<String> keyless = new java.util.ArrayList<>();
            try (var rs = s.executeQuery("""
                    SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'r' AND c.relpersistence = 'p'
                      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                      AND (c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS
                          (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)))
                    ORDER BY 1""")) {
                while (rs.next()) {
                    keyless.add(rs.getString(1));
                }
            }
            if (!keyless.isEmpty()) {
                reasons.add("tables without a primary key or replica identity: " + String.join(", ", keyless)
                        + " (give each a primary key, or ALTER TABLE … REPLICA IDENTITY FULL)");
            }
            try (var rs = s.executeQuery("SELECT count(*) FROM pg_largeobject_metadata")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    reasons.add(rs.getLong(1) + " large objects, which logical decoding does not carry "
                            + "(store them as bytea, or do not stream this target)");
                }
            }
            return reasons.isEmpty() ? null : String.join("; ", reasons);
        }
    }

    /** Streaming of {@code target} stops for {@code reason} (an alert says it) until an admin turns it on again. */
    public void stop(Target target, String reason) {
        LOG.warnf("Target %s cannot stream: %s. Its backups are plain dumps until streaming is turned on again "
                + "(POST /api/v1/targets/%s/stream {\"enabled\":true}).", target.name(), reason, target.name());
        chains.disable(target.name(), reason);
    }

    /**
     * Drops {@code slot}, waiting up to ten seconds for the session that streamed from it to end;
     * false (and a warning) when it could not.
     */
    boolean dropQuietly(Target target, String slot) {
        String last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                if (ReplicationSession.dropSlot(target, slot)) {
                    return true;
                }
                last = "it is still in use";
            } catch (SQLException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.warnf("Stream of %s: slot %s was not dropped (%s); it keeps WAL on the server until it is", target.name(),
                slot, last);
        return false;
    }

    /** A base being taken in a slot's snapshot. */
    public final class Base implements AutoCloseable {
        private final UUID backupId;
        private final Target target;
        private final String slot;
        private final String snapshotName;
        private final ReplicationSession session;
        private boolean ended;

        private Base(UUID backupId, Target target, String slot, String snapshotName, ReplicationSession session) {
            this.backupId = backupId;
            this.target = target;
            this.slot = slot;
            this.snapshotName = snapshotName;
            this.session = session;
        }

        /** The exported snapshot: valid while this base is open. */
        public String snapshotName() {
            return snapshotName;
        }

        /** The base is in the bucket: its chain streams from now on. */
        public void succeeded() {
            session.close();
            chains.activate(backupId);
            ended = true;
        }

        /** The base failed: its slot is dropped, its chain FAILED. */
        public void failed(String reason) {
            session.close();
            dropQuietly(target, slot);
            chains.fail(backupId, reason);
            ended = true;
        }

        /** Closes the replication session (which ends the snapshot); a base neither succeeded nor failed fails. */
        @Override
        public void close() {
            if (!ended) {
                failed("The base backup ended without a result");
            }
        }
    }
}
