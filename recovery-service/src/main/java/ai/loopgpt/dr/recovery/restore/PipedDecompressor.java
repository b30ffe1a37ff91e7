package ai.loopgpt.dr.recovery.restore;

import ai.loopgpt.dr.common.process.StderrTail;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decompresses through a program that reads the compressed bytes on stdin and writes them
 * decompressed to stdout (ISA-L's {@code igzip -dc}: about four times the speed of the JVM's zlib,
 * CPU left to the database on a restore's shared cores). The compressed stream is read on a
 * thread of its own; the end of this stream is reached only once all of it was read and the
 * program ended well, otherwise reading fails with the program's own message.
 */
final class PipedDecompressor extends InputStream {

    private final String name;
    private final Process process;
    private final InputStream decompressed;
    private final StderrTail stderr;
    private final Thread feeder;
    private final Runnable onRead;
    private volatile IOException feedFailure;
    private boolean ended;

    /**
     * @param onRead runs on the reading thread before each read (progress reports)
     */
    PipedDecompressor(List<String> command, InputStream compressed, Runnable onRead) throws IOException {
        this.name = command.get(0);
        this.process = new ProcessBuilder(command).start();
        this.decompressed = process.getInputStream();
        this.stderr = new StderrTail(process.getErrorStream(), name);
        this.onRead = onRead;
        this.feeder = new Thread(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                compressed.transferTo(stdin);
            } catch (IOException e) {
                feedFailure = e;
            }
        }, "restore-" + name);
        feeder.setDaemon(true);
        feeder.start();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        onRead.run();
        int n = decompressed.read(b, off, len);
        if (n < 0 && !ended) {
            ended = true;
            awaitEnd();
        }
        return n;
    }

    private void awaitEnd() throws IOException {
        try {
            feeder.join();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                throw new IOException(name + " did not end after its output did");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for " + name);
        }
        if (process.exitValue() != 0) {
            throw new IOException(name + " could not decompress the object (exit " + process.exitValue() + "): "
                    + stderr.text());
        }
        if (feedFailure != null) {
            throw feedFailure;
        }
    }

    /**
     * Stops the program and waits (up to a minute) until the compressed stream is no longer being
     * read, so that the caller may read the rest of it itself (to check its checksum).
     */
    void stop() throws InterruptedException {
        process.destroyForcibly();
        feeder.join(TimeUnit.MINUTES.toMillis(1));
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        decompressed.close();
    }
}
