package ai.loopgpt.dr.backup.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on every core: input is cut into blocks, each block compressed by a pool into a complete
 * gzip member, members written in order. A file of several members is standard gzip (RFC 1952,
 * section 2.2): {@code gunzip} and {@code GZIPInputStream} read it as one stream. Memory is bounded:
 * at most {@code 2 × threads} blocks in flight.
 */
public final class ParallelGzipOutputStream extends OutputStream {

    public static final int DEFAULT_BLOCK_SIZE = 1 << 20;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final OutputStream out;
    private final int level;
    private final int blockSize;
    private final int maxInFlight;
    private final ExecutorService pool;
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private byte[] block;
    private int filled;
    private boolean closed;

    public ParallelGzipOutputStream(OutputStream out, int level, int threads) {
        this(out, level, threads, DEFAULT_BLOCK_SIZE);
    }

    public ParallelGzipOutputStream(OutputStream out, int level, int threads, int blockSize) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 1 to 9, was " + level);
        }
        this.out = out;
        this.level = level;
        this.blockSize = blockSize;
        int n = Math.max(1, threads);
        this.maxInFlight = 2 * n;
        this.pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "gzip-worker");
            t.setDaemon(true);
            return t;
        });
        this.block = new byte[blockSize];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            int n = Math.min(length, blockSize - filled);
            System.arraycopy(bytes, offset, block, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == blockSize) {
                submit();
            }
        }
    }

    private void submit() throws IOException {
        byte[] input = block;
        int length = filled;
        while (pending.size() >= maxInFlight) {
            writeOldest();
        }
        pending.add(pool.submit(() -> member(input, length)));
        block = new byte[blockSize];
        filled = 0;
    }

    private void writeOldest() throws IOException {
        try {
            out.write(pending.removeFirst().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while compressing", e);
        } catch (ExecutionException e) {
            throw new IOException("Compression failed", e.getCause());
        }
    }

    private byte[] member(byte[] input, int length) {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(input, 0, length);
            deflater.finish();
            byte[] buffer = new byte[Math.max(64, length + length / 1000 + 64)];
            System.arraycopy(HEADER, 0, buffer, 0, HEADER.length);
            int size = HEADER.length;
            while (!deflater.finished()) {
                if (size == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                size += deflater.deflate(buffer, size, buffer.length - size);
            }
            CRC32 crc = new CRC32();
            crc.update(input, 0, length);
            byte[] result = java.util.Arrays.copyOf(buffer, size + 8);
            writeIntLe(result, size, (int) crc.getValue());
            writeIntLe(result, size + 4, length);
            return result;
        } finally {
            deflater.end();
        }
    }

    private static void writeIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    /** Writes every block still pending; the stream stays open. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (filled > 0) {
            submit();
        }
        while (!pending.isEmpty()) {
            writeOldest();
        }
        out.flush();
    }

    /** Finishes the gzip data. Does not close the underlying stream (the upload decides when it is complete). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (filled > 0 || pending.isEmpty()) {
                // An empty input still yields one valid (empty) member.
                submit();
            }
            while (!pending.isEmpty()) {
                writeOldest();
            }
        } finally {
            closed = true;
            pool.shutdownNow();
            block = null;
        }
    }

    /** Stops the workers without writing what is pending (after a failure elsewhere). */
    public void discard() {
        closed = true;
        pending.forEach(f -> f.cancel(true));
        pending.clear();
        pool.shutdownNow();
        block = null;
    }
}
