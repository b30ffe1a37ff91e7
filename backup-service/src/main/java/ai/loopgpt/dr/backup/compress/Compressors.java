package ai.loopgpt.dr.backup.compress;

import ai.loopgpt.dr.backup.Compression;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Opens the compressing stream for a {@link Compression}, on all cores. */
public final class Compressors {

    private Compressors() {
    }

    /**
     * A stream compressing into {@code out}. Closing it finishes the compressed data but leaves
     * {@code out} open.
     */
    public static OutputStream open(Compression compression, OutputStream out, int level, int threads)
            throws IOException {
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return switch (compression) {
            case GZIP -> new ParallelGzipOutputStream(out, level, workers);
            case ZSTD -> {
                ZstdOutputStream zstd = new ZstdOutputStream(new NonClosing(out), level);
                zstd.setWorkers(workers);
                zstd.setChecksum(true);
                yield zstd;
            }
        };
    }

    /** Lets a compressor finish its frame on close without closing the upload under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
