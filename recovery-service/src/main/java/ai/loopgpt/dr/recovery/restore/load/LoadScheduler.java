package ai.loopgpt.dr.recovery.restore.load;

import ai.loopgpt.dr.recovery.restore.load.DumpReader.RowBlock;
import ai.loopgpt.dr.recovery.restore.load.PostDataStatement.ForeignKey;
import ai.loopgpt.dr.recovery.restore.load.PostDataStatement.KeyAsIndex;
import ai.loopgpt.dr.recovery.restore.load.ScriptClassifier.PostData;
import ai.loopgpt.dr.recovery.restore.load.SessionPool.Session;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * What runs on which session of a load, in what order, and what a failure stops. The rows: blocks
 * of whole rows read once and copied by whichever session is free ({@link DataSection}). The
 * post-data section: keys, indexes and foreign keys in parallel ({@link #plan}, {@link JobQueue}),
 * never two statements whose locks conflict at once (so they cannot deadlock), then the rest in
 * the dump's order. The first failure of any session kills them all and is what the load reports.
 */
final class LoadScheduler {

    /** Blocks stay below G1's humongous size (half a 1 MB region): cheap to allocate and collect. */
    private static final int BLOCK_BYTES = 256 << 10;

    private final SessionPool pool;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    LoadScheduler(SessionPool pool) {
        this.pool = pool;
    }

    /** What a post-data job is, for the order and the locks. */
    enum Role {
        /** A key built as a unique index: shares its table with index builds. */
        SHARED_KEY(true, true),
        /** A key as written, or an attach: its table for itself. */
        KEY(false, true),
        /** CREATE INDEX: shares its table with other index builds. */
        INDEX(true, false),
        /** A foreign key's add or validation: waits for the keys of its tables. */
        FOREIGN_KEY(false, false);

        final boolean shared;
        final boolean key;

        Role(boolean shared, boolean key) {
            this.shared = shared;
            this.key = key;
        }
    }

    /**
     * A post-data statement run in parallel, and the tables it locks: shared locks (CREATE INDEX)
     * let others of their kind run on the same table, the rest lock it for themselves. A job with
     * an {@code after} job starts once that one is done.
     */
    record Job(String text, Set<String> tables, Role role, Job after, long size) {
    }

    /** The post-data jobs in the order they are offered, and what runs after them in the dump's order. */
    record Plan(List<Job> jobs, String inOrder) {
    }

    /**
     * Keys, indexes and foreign keys in parallel; then the rest in order. Keys (primary and
     * unique) first, largest tables first (as pg_restore orders them: the longest builds start
     * at once instead of last; a table's size is the bytes of its rows in {@code dataBytes}), then
     * the other indexes; each foreign key as soon as the keys of both its tables are built, before
     * the builds still waiting.
     *
     * <p>A key built as a unique index is attached to its constraint once no other index is
     * building on its table (the attach waits for an exclusive lock: a session waiting there
     * would idle). A foreign key is added {@code NOT VALID} (a moment's lock on both tables) and
     * then validated, which holds its own table against writes and index builds but lets the
     * table it references be read, built and checked by other foreign keys at once. The
     * constraint ends as pg_dump wrote it, validated. With partitioned tables, keys run as
     * written and foreign keys in the dump's order.
     */
    static Plan plan(PostData postData, Map<String, Long> dataBytes) {
        List<Job> keys = new ArrayList<>();
        List<Job> indexes = new ArrayList<>();
        List<Job> attaches = new ArrayList<>();
        List<Job> foreignKeys = new ArrayList<>();
        List<Job> validations = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        for (PostDataStatement e : postData.entries()) {
            Set<String> tables = e.tables(postData.partitioned());
            long size = tables.stream().mapToLong(t -> dataBytes.getOrDefault(t, 0L)).max().orElse(0);
            if (tables.isEmpty()) {
                rest.append(e.text());
            } else if (e.isForeignKey()) {
                Optional<ForeignKey> split = e.validatedLater();
                Job add = new Job(split.map(ForeignKey::add).orElse(e.text()), tables, Role.FOREIGN_KEY, null, size);
                foreignKeys.add(add);
                split.ifPresent(fk -> validations.add(
                        new Job(fk.validate(), Set.of(fk.table()), Role.FOREIGN_KEY, add, size)));
            } else if (e.isConstraint()) {
                Optional<KeyAsIndex> asIndex = postData.partitioned() ? Optional.empty() : e.asUniqueIndex();
                Job build = new Job(asIndex.map(KeyAsIndex::build).orElse(e.text()), tables,
                        asIndex.isPresent() ? Role.SHARED_KEY : Role.KEY, null, size);
                keys.add(build);
                asIndex.ifPresent(key -> attaches.add(new Job(key.attach(), tables, Role.KEY, build, size)));
            } else {
                // CREATE INDEX takes a SHARE lock: several may build on one table at once.
                indexes.add(new Job(e.text(), tables, Role.INDEX, null, size));
            }
        }
        Comparator<Job> largestFirst = Comparator.comparingLong(Job::size).reversed();
        List<Job> jobs = new ArrayList<>();
        // Attaches first (a moment each, and the foreign keys wait for them); then a foreign key
        // whose keys are built goes before the builds still waiting: the sooner its check starts,
        // the sooner everything ends.
        for (List<Job> kind : List.of(attaches, foreignKeys, validations, keys, indexes)) {
            kind.sort(largestFirst);
            jobs.addAll(kind);
        }
        return new Plan(jobs, rest + postData.trailer());
    }

    /**
     * Runs {@code jobs} on every session, each session taking the first job that may start, and
     * returns once all ran; {@code keysBuilt} runs once the last key or index is built.
     */
    void runPostData(List<Job> jobs, Runnable keysBuilt) throws Exception {
        JobQueue queue = new JobQueue(jobs, keysBuilt);
        if (queue.keysLeft == 0) {
            keysBuilt.run();
        }
        if (jobs.isEmpty()) {
            return;
        }
        for (Thread t : onEverySession(session -> {
            Job job;
            while ((job = queue.next(this::failed)) != null) {
                session.write(job.text());
                session.barrier();
                queue.done(job);
            }
        })) {
            t.join();
        }
        rethrow();
    }

    /** Post-data jobs waiting, and the locks of those running: which job may start next. */
    static final class JobQueue {
        private final List<Job> waiting;
        /** Tables locked for one job alone, and how many shared jobs hold the others. */
        private final Set<String> exclusive = new HashSet<>();
        private final Map<String, Integer> shared = new HashMap<>();
        /** Keys not built yet, per table: the foreign keys on it wait for them. */
        private final Map<String, Integer> unbuilt = new HashMap<>();
        private final Set<Job> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Runnable keysBuilt;
        private int keysLeft;

        JobQueue(List<Job> jobs, Runnable keysBuilt) {
            this.waiting = new ArrayList<>(jobs);
            this.keysBuilt = keysBuilt;
            for (Job job : jobs) {
                if (job.role() != Role.FOREIGN_KEY) {
                    keysLeft++;
                }
                if (job.role().key) {
                    job.tables().forEach(t -> unbuilt.merge(t, 1, Integer::sum));
                }
            }
        }

        /** Waits for a job that may start and takes its locks; null once none is left or {@code stopped}. */
        synchronized Job next(BooleanSupplier stopped) throws InterruptedException {
            while (!waiting.isEmpty() && !stopped.getAsBoolean()) {
                Job job = poll();
                if (job != null) {
                    return job;
                }
                wait(1000);
            }
            return null;
        }

        /** The first waiting job that may start now, its locks taken; null if none may. */
        synchronized Job poll() {
            for (int i = 0; i < waiting.size(); i++) {
                Job job = waiting.get(i);
                boolean ready = job.after() == null || finished.contains(job.after());
                boolean free = ready && job.tables().stream().noneMatch(t -> exclusive.contains(t)
                        || !job.role().shared && shared.containsKey(t)
                        || job.role() == Role.FOREIGN_KEY && unbuilt.containsKey(t));
                if (free) {
                    for (String t : job.tables()) {
                        if (job.role().shared) {
                            shared.merge(t, 1, Integer::sum);
                        } else {
                            exclusive.add(t);
                        }
                    }
                    return waiting.remove(i);
                }
            }
            return null;
        }

        /** {@code job} ran: its locks are released. */
        synchronized void done(Job job) {
            for (String t : job.tables()) {
                if (job.role().shared) {
                    shared.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
                } else {
                    exclusive.remove(t);
                }
                if (job.role().key) {
                    unbuilt.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
                }
            }
            finished.add(job);
            if (job.role() != Role.FOREIGN_KEY && --keysLeft == 0) {
                keysBuilt.run();
            }
            notifyAll();
        }
    }

    /**
     * Starts the data section: every session copies the blocks of rows put here, as it is free.
     * The rows each table received are added to {@code rows} once it ends, the bytes read for
     * each to {@code dataBytes} as they are read; {@code tableLoaded} hears of each table read.
     */
    DataSection startData(Map<String, Long> rows, Map<String, Long> dataBytes, IntConsumer tableLoaded) {
        return new DataSection(rows, dataBytes, tableLoaded);
    }

    /** The data section: blocks of rows read here, copied by every session at once. */
    final class DataSection {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4 * pool.size());
        private final Object end = new Object();
        private final Map<String, Long> rows;
        private final Map<String, Long> dataBytes;
        private final IntConsumer tableLoaded;
        private final List<Thread> workers;
        private int tables;

        private DataSection(Map<String, Long> rows, Map<String, Long> dataBytes, IntConsumer tableLoaded) {
            this.rows = rows;
            this.dataBytes = dataBytes;
            this.tableLoaded = tableLoaded;
            this.workers = onEverySession(this::work);
        }

        /** Reads the rows of {@code table} from {@code reader}, up to their end line, and shares them out. */
        void copy(DumpReader reader, String command, String table) throws Exception {
            boolean done = false;
            while (!done) {
                RowBlock block = new RowBlock(table, command, BLOCK_BYTES + (BLOCK_BYTES >> 2));
                done = reader.readRows(block, BLOCK_BYTES);
                dataBytes.merge(table, (long) block.size, Long::sum);
                if (block.rows > 0) {
                    put(block);
                }
            }
            rows.putIfAbsent(table, 0L);
            tableLoaded.accept(++tables);
        }

        /** A statement to run after the rows before it. */
        void sql(String text) throws Exception {
            put(text);
        }

        /** Returns once every session has copied all it was given, adding up the rows they report. */
        void finish() throws Exception {
            for (int i = 0; i < workers.size(); i++) {
                put(end);
            }
            for (Thread t : workers) {
                t.join();
            }
            rethrow();
            for (Session s : pool.sessions()) {
                s.countedRows().forEach((table, n) -> rows.merge(table, n, Long::sum));
            }
        }

        private void put(Object item) throws Exception {
            while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        }

        private void work(Session session) throws Exception {
            while (true) {
                Object item = queue.poll(200, TimeUnit.MILLISECONDS);
                if (failed()) {
                    return;
                }
                if (item == end) {
                    session.endCopy();
                    session.barrier();
                    return;
                }
                if (item instanceof RowBlock block) {
                    session.copy(block);
                } else if (item instanceof String sql) {
                    session.endCopy();
                    session.write(sql);
                }
            }
        }
    }

    /** What one session does on its own thread. */
    private interface SessionWork {
        void run(Session session) throws Exception;
    }

    /** Starts {@code work} on every session, a thread each; a failure there stops all sessions. */
    private List<Thread> onEverySession(SessionWork work) {
        List<Thread> workers = new ArrayList<>();
        for (Session s : pool.sessions()) {
            Thread t = new Thread(() -> {
                try {
                    work.run(s);
                } catch (Exception e) {
                    fail(e);
                }
            }, "restore-session-" + s.index());
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        return workers;
    }

    /** The first failure is the one reported: every session is killed, the others fail after it. */
    void fail(Exception e) {
        if (failure.compareAndSet(null, e)) {
            pool.killAll();
        }
    }

    boolean failed() {
        return failure.get() != null;
    }

    /** The failure of a session, if one failed first: it explains what the caller saw. */
    Optional<Exception> firstFailure() {
        return Optional.ofNullable(failure.get());
    }

    private void rethrow() throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
