package ai.loopgpt.dr.common.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last few KB of a child process's stderr, read on a thread of its own so that the
 * child never blocks on a full pipe; what a failing pg_dump, psql or pg_restore said, for the
 * failure reason.
 */
public final class StderrTail {

    private static final int KEEP = 4096;
    private final StringBuilder tail = new StringBuilder();
    private final Thread reader;

    public StderrTail(InputStream stderr, String name) {
        reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            int n;
            try {
                while ((n = stderr.read(buffer)) > 0) {
                    synchronized (tail) {
                        tail.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        if (tail.length() > KEEP) {
                            tail.delete(0, tail.length() - KEEP);
                        }
                    }
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        }, name + "-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    /** What the process wrote last, waiting briefly for it to finish writing. */
    public String text() {
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tail) {
            return tail.toString().strip();
        }
    }
}
