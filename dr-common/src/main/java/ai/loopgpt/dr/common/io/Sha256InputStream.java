package ai.loopgpt.dr.common.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A backup object's bytes as they are read: counted and hashed with SHA-256, the checksum its
 * manifest records. Used wherever an object is read back to be checked (a restore, a drill's
 * integrity check).
 */
public class Sha256InputStream extends FilterInputStream {

    private final MessageDigest digest;
    private final LongConsumer onProgress;
    private long count;

    public Sha256InputStream(InputStream in) {
        this(in, count -> { });
    }

    /** {@code onProgress} hears the bytes read so far after every read. */
    public Sha256InputStream(InputStream in, LongConsumer onProgress) {
        super(in);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
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

    /** Reads the rest of the stream (what a decompressor left, say), so that the hash covers all of it. */
    public void drain() throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (read(buffer, 0, buffer.length) > 0) {
            // counted and hashed by read
        }
    }

    /** The bytes read so far. */
    public long count() {
        return count;
    }

    /** The SHA-256 of the bytes read so far, in lower-case hex; reading may go on. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of the JDK can be cloned", e);
        }
    }
}
