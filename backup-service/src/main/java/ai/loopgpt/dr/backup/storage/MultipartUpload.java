package ai.loopgpt.dr.backup.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Bytes written are cut into parts of the configured size; each full part is uploaded by a
 * small pool while the next fills, at most upload-threads parts in flight. The SHA-256 and size
 * of the whole object are computed on the way.
 */
final class MultipartUpload implements BackupStore.Upload {

    private final S3Client s3;
    private final String bucket;
    private final S3Writes writes;
    private final S3BackupStore store;
    private final String key;
    private final String uploadId;
    private final int partSize;
    private final ExecutorService pool;
    private final Semaphore inFlight;
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private final MessageDigest sha256;
    private byte[] buffer;
    private int filled;
    private long size;
    private volatile Throwable failure;
    private final OutputStream stream = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            checkHealthy();
            sha256.update(bytes, offset, length);
            size += length;
            while (length > 0) {
                int n = Math.min(length, partSize - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == partSize) {
                    flushPart();
                }
            }
        }
    };

    MultipartUpload(S3Client s3, String bucket, S3Writes writes, int partSize, int uploadThreads, String key,
            String uploadId, S3BackupStore store) {
        this.s3 = s3;
        this.bucket = bucket;
        this.writes = writes;
        this.store = store;
        this.partSize = partSize;
        this.key = key;
        this.uploadId = uploadId;
        int threads = Math.max(1, uploadThreads);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "s3-part-upload");
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(threads);
        this.buffer = new byte[partSize];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String uploadId() {
        return uploadId;
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    private void checkHealthy() throws IOException {
        if (failure != null) {
            throw new IOException("S3 upload of part failed: " + failure.getMessage(), failure);
        }
    }

    private void flushPart() throws IOException {
        byte[] part = buffer;
        int length = filled;
        int number = parts.size() + 1;
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while uploading", e);
        }
        checkHealthy();
        parts.add(pool.submit(() -> {
            try {
                String etag = S3Writes.reconnecting(() -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) length).overrideConfiguration(writes.bounded()),
                        RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, length), length))).eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            } catch (ApiCallTimeoutException e) {
                failure = writes.stalled("part " + number, e);
                throw (RuntimeException) failure;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                inFlight.release();
            }
        }));
        buffer = new byte[partSize];
        filled = 0;
    }

    @Override
    public BackupStore.Result complete() {
        try {
            if (filled > 0 || parts.isEmpty()) {
                flushPart();
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                done.add(part.get());
            }
            try {
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(done)).overrideConfiguration(writes.bounded()));
            } catch (ApiCallTimeoutException e) {
                throw writes.stalled("the end of the upload", e);
            }
            return new BackupStore.Result(size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while completing the upload", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            buffer = null;
        }
    }

    @Override
    public boolean abort() {
        pool.shutdownNow();
        try {
            // Parts still in flight must end before the abort, or they could outlive it.
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        buffer = null;
        return store.abort(key, uploadId);
    }
}
