package ai.loopgpt.dr.recovery.restore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/** Counts the bytes read and hashes them. */
final class DigestingStream extends FilterInputStream {
    private final MessageDigest digest;
    private final LongConsumer onProgress;
    private long count;
    /** Whether the checksum was checked (the rest read to its end and compared). */
    boolean checked;

    DigestingStream(InputStream in, MessageDigest digest, LongConsumer onProgress) {
        super(in);
        this.digest = digest;
        this.onProgress = onProgress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            digest.update((byte) b);
            onProgress.accept(++count);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
            onProgress.accept(count);
        }
        return n;
    }

    byte[] digest() {
        return digest.digest();
    }
}
