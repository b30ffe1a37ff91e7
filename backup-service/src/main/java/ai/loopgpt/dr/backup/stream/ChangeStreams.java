package ai.loopgpt.dr.backup.stream;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.Compression;
import ai.loopgpt.dr.backup.DumpFormat;
import ai.loopgpt.dr.backup.Target;
import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.backup.service.BackupService;
import ai.loopgpt.dr.backup.service.TargetService;
import ai.loopgpt.dr.backup.storage.BackupLayout;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.backup.storage.SegmentManifest;
import ai.loopgpt.dr.backup.stream.StreamChain.Phase;
import ai.loopgpt.dr.common.failpoint.Failpoints;
import ai.loopgpt.dr.common.io.ScratchSpace;
import ai.loopgpt.dr.common.lock.AdvisoryLocks;
import ai.loopgpt.dr.common.stream.ChangeSegmentFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.postgresql.replication.PGReplicationStream;

/**
 * Runs the change streams of the streamed targets: one streamer per target, on the replica holding
 * the target's stream lock, reading the newest ACTIVE chain's slot and storing its segments in the
 * bucket (object, then manifest, then the chain's row; the slot is confirmed only after). When a newer
 * base makes a newer chain ACTIVE, the old chain's last segment is stored, the chain CLOSED and its
 * slot dropped. Chains left STARTING by a crash are settled from their base backup's outcome.
 */
@ApplicationScoped
public class ChangeStreams {

    private static final Logger LOG = Logger.getLogger(ChangeStreams.class);
    /** "DRS1": the stream locks, one per target. */
    private static final int SPACE = 0x44525331;
    private static final Duration SUPERSEDED_CHECK = Duration.ofSeconds(2);

    private final BackupSettings settings;
    private final TargetService targets;
    private final StreamChains chains;
    private final StreamBases bases;
    private final BackupStore store;
    private final AdvisoryLocks locks;
    private final ObjectMapper json;
    private final Clock clock;
    private final BackupService backups;
    private final SlotWatch slots;
    private final ai.loopgpt.dr.backup.service.BackupMetrics metrics;
    private final ScratchSpace scratch;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    /** Targets whose streamer must end now (their stream falls back). */
    private final java.util.Set<String> stopping = ConcurrentHashMap.newKeySet();

    public ChangeStreams(BackupSettings settings, TargetService targets, StreamChains chains, StreamBases bases,
            BackupStore store, AdvisoryLocks locks, ObjectMapper json, Clock clock, BackupService backups, SlotWatch slots,
            ai.loopgpt.dr.backup.service.BackupMetrics metrics, ScratchSpace scratch) {
        this.scratch = scratch;
        this.slots = slots;
        this.metrics = metrics;
        this.backups = backups;
        this.settings = settings;
        this.targets = targets;
        this.chains = chains;
        this.bases = bases;
        this.store = store;
        this.locks = locks;
        this.json = json;
        this.clock = clock;
    }

    @Scheduled(every = "${backup.stream.check-every:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (shuttingDown.get()) {
            return;
        }
        settleStarting();
        for (String name : settings.targets().keySet()) {
            if (bases.configured(name)) {
                Target target = targets.get(name);
                slots.sweep(target);
                StreamChain active = chains.newestActive(name);
                if (active == null || !bases.streams(name)) {
                    continue;
                }
                String overLimit = slots.overLimit(target, active);
                if (overLimit != null) {
                    fallBack(target, active, overLimit);
                } else if (!running.containsKey(name)) {
                    start(target);
                }
            }
        }
    }

    /** Stops the target's stream to protect its server: the slot dropped, the chain closed, dumps only. */
    private void fallBack(Target target, StreamChain chain, String reason) {
        LOG.errorf("Stream of %s stopped: %s. Its backups are plain dumps until streaming is turned on again "
                + "(POST /api/v1/targets/%s/stream {\"enabled\":true}).", target.name(), reason, target.name());
        stopping.add(target.name());
        try {
            chains.stopOverWalLimit(target.name(), chain.id, reason);
            Thread worker = running.get(target.name());
            if (worker != null) {
                worker.interrupt();
                worker.join(15_000);
            }
            bases.dropQuietly(target, chain.slotName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopping.remove(target.name());
        }
    }

    /** Whether this replica streams {@code target} now. */
    public boolean streaming(String target) {
        return running.containsKey(target);
    }

    void onStop(@Observes ShutdownEvent event) {
        shuttingDown.set(true);
        running.values().forEach(Thread::interrupt);
    }

    private void start(Target target) {
        AdvisoryLocks.Held lock = locks.tryLock(SPACE, target.name());
        if (lock == null) {
            return; // another replica streams it
        }
        Thread worker = new Thread(() -> {
            try (lock) {
                streamWhileActive(target, lock);
            } finally {
                running.remove(target.name());
            }
        }, "stream-" + target.name());
        worker.setDaemon(true);
        running.put(target.name(), worker);
        worker.start();
    }

    /** Streams the newest ACTIVE chain of {@code target}, reconnecting after a failure, until none is left. */
    private void streamWhileActive(Target target, AdvisoryLocks.Held lock) {
        Duration backoff = Duration.ofSeconds(1);
        while (!shuttingDown.get() && lock.valid() && !stopping.contains(target.name())) {
            StreamChain chain = chains.newestActive(target.name());
            if (chain == null) {
                return;
            }
            try {
                closeOlderChains(target, chain);
                streamChain(target, chain);
                backoff = Duration.ofSeconds(1);
            } catch (ChangeStreamer.SchemaChanged e) {
                schemaChanged(target, chain, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (shuttingDown.get() || stopping.contains(target.name())) {
                    return;
                }
                LOG.warnf("Stream of %s (slot %s) stopped: %s; starting again in %d s", target.name(), chain.slotName,
                        e.getMessage(), backoff.toSeconds());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                        : backoff.multipliedBy(2);
            }
        }
    }

    private void streamChain(Target target, StreamChain chain) throws Exception {
        if (!SlotWatch.exists(target, chain.slotName)) {
            // Dropped behind the service's back (by hand, or with its database by an in-place restore):
            // the changes since the last segment are lost to the stream; the next backup starts a chain.
            LOG.errorf("Stream of %s: slot %s is gone; the chain of base backup %s ends at its last segment (%s). "
                    + "Take a backup to stream again.", target.name(), chain.slotName, chain.id, chain.durableCommitTime);
            chains.close(chain.id, "slot-lost: the slot " + chain.slotName + " no longer exists");
            return;
        }
        ChangeStreamer.Position position = resumePosition(target, chain);
        Failpoints.pause("stream.reading");
        Path work = scratch.createDirectory("stream-" + target.name());
        long[] nextCheck = {0};
        boolean[] superseded = {false};
        try (ReplicationSession session = ReplicationSession.open(target, 15);
                PGReplicationStream stream = session.stream(chain.slotName, settings.stream().publication());
                StreamWatermark watermark = new StreamWatermark(target, chain.id, chains, metrics)) {
            LOG.infof("Stream of %s: reading slot %s from %s", target.name(), chain.slotName,
                    ChangeSegmentFormat.lsn(position.endLsn()));
            ChangeStreamer streamer = new ChangeStreamer(stream, position,
                    (file, sealed) -> storeSegment(target, chain, file, sealed), () -> sequences(target),
                    "target " + target.name() + ", base backup " + chain.id + ", slot " + chain.slotName,
                    Duration.ofSeconds(settings.stream().segmentSeconds()), settings.stream().segmentMaxMib() * 1024L * 1024L,
                    work, clock, baseShapes(chain))
                    .watching(watermark, Duration.ofSeconds(settings.stream().segmentSeconds()));
            streamer.run(() -> {
                if (shuttingDown.get() || stopping.contains(target.name()) || Thread.currentThread().isInterrupted()) {
                    return true;
                }
                long now = System.nanoTime();
                if (now >= nextCheck[0]) {
                    nextCheck[0] = now + SUPERSEDED_CHECK.toNanos();
                    StreamChain newest = chains.newestActive(target.name());
                    superseded[0] = newest == null || !newest.id.equals(chain.id);
                }
                return superseded[0];
            });
        } finally {
            ScratchSpace.deleteQuietly(work);
        }
        if (superseded[0]) {
            closeChain(target, chain, "new-base");
        }
    }

    /**
     * A schema change the base lacks: the chain ends with the last transaction before it (the gap
     * until a new base is logged and kept as the chain's end reason) and a new base is asked for, which
     * starts the next chain.
     */
    private void schemaChanged(Target target, StreamChain chain, ChangeStreamer.SchemaChanged change) {
        StreamChain ended = chains.get(chain.id);
        String reason = "ddl: " + change.getMessage() + "; changes from " + change.commitTime()
                + " until the next base backup are not in the stream";
        closeChain(target, chain, reason);
        LOG.warnf("Stream of %s: %s; durable until %s; a new base backup is asked for", target.name(), change.getMessage(),
                ended.durableCommitTime);
        try {
            backups.request(new BackupService.Request(target.name(), BackupKind.AUTOMATIC,
                    "schema of " + change.relation() + " changed: a new base for the change stream", DumpFormat.PLAIN,
                    Compression.GZIP, 1), "backup-service (change stream)");
        } catch (RuntimeException e) {
            LOG.warnf("Stream of %s: the new base backup could not be started now (%s); the schedule takes the next one",
                    target.name(), e.getMessage());
        }
    }

    /** ACTIVE chains older than {@code newest}: a replica that stopped streaming them left them open. */
    private void closeOlderChains(Target target, StreamChain newest) {
        for (StreamChain chain : chains.inPhase(Phase.ACTIVE)) {
            if (chain.target.equals(target.name()) && !chain.id.equals(newest.id) && chain.createdAt.isBefore(newest.createdAt)) {
                closeChain(target, chain, "new-base");
            }
        }
    }

    private void closeChain(Target target, StreamChain chain, String reason) {
        bases.dropQuietly(target, chain.slotName);
        chains.close(chain.id, reason);
        LOG.infof("Stream of %s: chain of base backup %s closed (%s), slot %s dropped", target.name(), chain.id, reason,
                chain.slotName);
    }

    /**
     * Where to resume: the newest segment manifest in the bucket (the truth: a crash after its upload
     * and before the chain's row was updated leaves it only there), else the chain's row, else the
     * slot's consistent point.
     */
    ChangeStreamer.Position resumePosition(Target target, StreamChain chain) throws Exception {
        ChangeStreamer.Position position = chain.durableCommitLsn != null
                ? new ChangeStreamer.Position(chain.durableCommitLsn, chain.durableEndLsn)
                : new ChangeStreamer.Position(-1, chain.consistentLsn);
        String newest = null;
        List<String> keys = store.keys(BackupLayout.streamPrefix(target.name(), chain.id.toString()));
        for (String key : keys) {
            if (BackupLayout.isSegmentManifest(key)) {
                newest = key;
            } else if (key.endsWith(".sql.gz") && !keys.contains(BackupLayout.manifestOf(key))) {
                // Uploaded by a streamer that died before the manifest: nothing vouches for it, and
                // its transactions come again from the slot (they were never confirmed).
                LOG.infof("Stream of %s: deleting segment %s, which has no manifest", target.name(), key);
                store.delete(key);
            }
        }
        if (newest != null) {
            SegmentManifest manifest = json.readValue(store.get(newest), SegmentManifest.class);
            long commitLsn = ChangeSegmentFormat.parseLsn(manifest.lastLsn());
            if (commitLsn > position.durableCommitLsn()) {
                position = new ChangeStreamer.Position(commitLsn, ChangeSegmentFormat.parseLsn(manifest.endLsn()));
                chains.recordSegment(chain.id, manifest, newest);
            }
        }
        return position;
    }

    /** Object, then manifest, then the chain's row: a segment without its manifest is not part of the chain. */
    private void storeSegment(Target target, StreamChain chain, Path file, ChangeSegment.Sealed sealed) throws Exception {
        String objectKey = BackupLayout.segmentKey(target.name(), chain.id.toString(), sealed.firstLsn(), sealed.lastLsn());
        String manifestKey = BackupLayout.segmentManifestKey(target.name(), chain.id.toString(), sealed.firstLsn(),
                sealed.lastLsn());
        Instant retainUntil = baseExpiry(chain);
        store.put(objectKey, Files.readAllBytes(file), "application/gzip", retainUntil);
        Failpoints.pause("stream.segment-uploaded");
        String source = "aws s3 cp s3://" + store.bucket() + "/" + objectKey + " - | gunzip -c";
        String psql = "psql -X -v ON_ERROR_STOP=1 -d DB";
        SegmentManifest manifest = new SegmentManifest(SegmentManifest.VERSION, SegmentManifest.KIND, target.name(),
                chain.id.toString(), store.bucket(), objectKey, chain.slotName, ChangeSegmentFormat.lsn(sealed.previousLsn()),
                ChangeSegmentFormat.lsn(sealed.firstLsn()), ChangeSegmentFormat.lsn(sealed.lastLsn()),
                ChangeSegmentFormat.lsn(sealed.endLsn()), sealed.firstCommitTime(), sealed.lastCommitTime(),
                sealed.transactions(), sealed.rows(), sealed.rowsByTable(), sealed.sequences(), sealed.sizeBytes(),
                sealed.uncompressedBytes(), sealed.sha256(), clock.instant(), retainUntil,
                source + " | " + psql, source + " | " + ChangeSegment.CUT.formatted("T") + " | " + psql);
        store.put(manifestKey, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest), "application/json",
                retainUntil);
        Failpoints.pause("stream.segment-recorded");
        chains.recordSegment(chain.id, manifest, manifestKey);
        metrics.recoverableUntil(target.name(), sealed.lastCommitTime());
    }

    /** Segments are kept (and locked, where the bucket locks objects) as long as their base backup. */
    private static Instant baseExpiry(StreamChain chain) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Backup base = Backup.findById(chain.id);
            return base == null ? null : base.expiresAt;
        });
    }

    /** The values of the target's sequences now: at least those of every transaction of the segment. */
    private static Map<String, Long> sequences(Target target) throws Exception {
        Map<String, Long> values = new LinkedHashMap<>();
        try (Connection c = ReplicationSession.plain(target, 15); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT format('%I.%I', schemaname, sequencename), last_value "
                        + "FROM pg_sequences WHERE last_value IS NOT NULL ORDER BY 1")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
        }
        return values;
    }

    private java.util.Map<Integer, PgOutputMessage.Relation> baseShapes(StreamChain chain) throws Exception {
        if (chain.baseSchema == null) {
            return null;
        }
        java.util.Map<Integer, PgOutputMessage.Relation> shapes = new java.util.HashMap<>();
        for (PgOutputMessage.Relation relation : json.readValue(chain.baseSchema, PgOutputMessage.Relation[].class)) {
            shapes.put(relation.oid(), relation);
        }
        return shapes;
    }

    /** Chains a crash left STARTING: ACTIVE if their base succeeded after all, else FAILED with the slot dropped. */
    private void settleStarting() {
        for (StreamChain chain : chains.inPhase(Phase.STARTING)) {
            BackupPhase phase = QuarkusTransaction.requiringNew().call(() -> {
                Backup base = Backup.findById(chain.id);
                return base == null ? BackupPhase.FAILED : base.phase;
            });
            if (phase == BackupPhase.SUCCEEDED && chain.consistentLsn != null) {
                chains.activate(chain.id);
            } else if (!BackupPhase.OPEN.contains(phase)) {
                if (settings.targets().containsKey(chain.target)) {
                    bases.dropQuietly(targets.get(chain.target), chain.slotName);
                    chains.fail(chain.id, "Its base backup " + chain.id + " did not succeed");
                } else {
                    // A target removed from the configuration: its server is unknown here, so its slot stays
                    // (the sweep drops it if the target comes back); the chain must not stop every other
                    // target's check, as an unknown target's lookup would.
                    LOG.warnf("Stream chain %s of %s: its base backup did not succeed and the target is no longer "
                            + "configured; slot %s, if still on that server, is left there", chain.id, chain.target, chain.slotName);
                    chains.fail(chain.id, "Its base backup " + chain.id + " did not succeed; its target is no longer configured");
                }
            }
        }
    }
}
