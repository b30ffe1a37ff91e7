package ai.loopgpt.dr.recovery.restore;

import java.util.UUID;

/** A restore's progress (bytes read, tables loaded), written to its row at most every second. */
final class RestoreProgress {
    private final RestoreRecords records;
    private final UUID id;
    /** The restore's thread: the one that writes; the bytes may be counted on another (PipedDecompressor). */
    private final Thread owner = Thread.currentThread();
    private volatile long bytes;
    private int tables;
    private long lastWrite;

    RestoreProgress(RestoreRecords records, UUID id) {
        this.records = records;
        this.id = id;
    }

    void bytes(long total) {
        bytes = total;
        if (Thread.currentThread() == owner) {
            maybeFlush();
        }
    }

    /** A moment to write, if on the restore's thread. */
    void tick() {
        if (Thread.currentThread() == owner) {
            maybeFlush();
        }
    }

    void tables(int more) {
        tables += more;
        maybeFlush();
    }

    private void maybeFlush() {
        long now = System.nanoTime();
        if (now - lastWrite > 1_000_000_000L) {
            lastWrite = now;
            flush();
        }
    }

    void flush() {
        records.recordProgress(id, bytes, tables);
    }
}
