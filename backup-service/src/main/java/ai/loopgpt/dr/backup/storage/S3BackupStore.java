package ai.loopgpt.dr.backup.storage;

import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.common.retry.Backoff;
import ai.loopgpt.dr.s3.BucketSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Backups in an S3 bucket, uploaded in parts with bounded memory, each object encrypted at rest. */
@ApplicationScoped
public class S3BackupStore implements BackupStore {

    private static final Logger LOG = Logger.getLogger(S3BackupStore.class);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final BackupSettings.Storage settings;

    public S3BackupStore(S3Client s3, S3Presigner presigner, BucketSettings bucket, BackupSettings settings) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket.bucket();
        this.settings = settings.storage();
        if (settings.storage().partSizeMib() < 5 || settings.storage().partSizeMib() > 512) {
            throw new IllegalArgumentException("backup.storage.part-size-mib must be between 5 and 512");
        }
        if (!java.util.Set.of("none", "governance", "compliance").contains(settings.storage().objectLock())) {
            throw new IllegalArgumentException("backup.storage.object-lock must be none, governance or compliance");
        }
        if (settings.storage().stallTimeout().toSeconds() < 1) {
            throw new IllegalArgumentException("backup.storage.stall-timeout must be at least one second");
        }
    }

    /**
     * Every write is bounded, retries included: a socket write to a peer that stopped reading (a
     * frozen S3) blocks forever, and the SDK's read timeout does not cover it.
     */
    private AwsRequestOverrideConfiguration bounded() {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(settings.stallTimeout()).build();
    }

    /** The failure said when a write was not acknowledged in time. */
    private UploadStalledException stalled(String what, ApiCallTimeoutException e) {
        return new UploadStalledException("S3 did not acknowledge " + what + " within " + settings.stallTimeout()
                + " (backup.storage.stall-timeout): is S3 reachable and answering?", e);
    }

    @Override
    public String bucket() {
        return bucket;
    }

    private ServerSideEncryption sse() {
        return switch (settings.serverSideEncryption()) {
            case "none" -> null;
            case "aws:kms" -> ServerSideEncryption.AWS_KMS;
            default -> ServerSideEncryption.AES256;
        };
    }

    /** The Object Lock mode asked for on every object, or null when backup.storage.object-lock is none. */
    private ObjectLockMode lockMode() {
        return switch (settings.objectLock()) {
            case "governance" -> ObjectLockMode.GOVERNANCE;
            case "compliance" -> ObjectLockMode.COMPLIANCE;
            default -> null;
        };
    }

    @Override
    public Upload startUpload(String key, Instant retainUntil) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .contentType("application/octet-stream").serverSideEncryption(sse())
                .overrideConfiguration(bounded());
        settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
        if (lockMode() != null) {
            request.objectLockMode(lockMode()).objectLockRetainUntilDate(retainUntil);
        }
        String uploadId = reconnecting(() -> s3.createMultipartUpload(request.build())).uploadId();
        return new MultipartUpload(key, uploadId);
    }

    /**
     * Runs a call that may safely run twice (starting an upload, sending a part or a whole
     * object), again up to three times when the connection failed before S3 answered (after the
     * SDK's own retries): connections kept alive from before an outage of S3 fail on their
     * first use after it, and there can be more of them than the SDK's retries.
     */
    private static <T> T reconnecting(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkClientException e) {
                if (attempt == 4 || !causedByIo(e) || e instanceof ApiCallTimeoutException) {
                    throw e;
                }
                LOG.debugf("S3 connection failed (%s); trying again", e.getMessage());
                try {
                    Thread.sleep(Backoff.after(attempt, Duration.ofSeconds(2)).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void put(String key, byte[] content, String contentType, Instant retainUntil) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType)
                .serverSideEncryption(sse()).overrideConfiguration(bounded());
        settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
        if (lockMode() != null) {
            request.objectLockMode(lockMode()).objectLockRetainUntilDate(retainUntil);
        }
        try {
            reconnecting(() -> s3.putObject(request.build(), RequestBody.fromBytes(content)));
        } catch (ApiCallTimeoutException e) {
            throw stalled(key, e);
        }
    }

    @Override
    public byte[] get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Override
    public InputStream open(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public java.util.OptionalLong size(String key) {
        try {
            Long length = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
            return length == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(length);
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return java.util.OptionalLong.empty();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return java.util.OptionalLong.empty();
            }
            throw e;
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<String> manifestKeys() {
        List<String> keys = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(BackupLayout.ROOT))) {
            page.contents().stream().map(S3Object::key).filter(BackupLayout::isManifest).forEach(keys::add);
        }
        return keys;
    }

    @Override
    public boolean abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).overrideConfiguration(bounded()));
            return true;
        } catch (NoSuchUploadException e) {
            return true;
        } catch (SdkException e) {
            LOG.warnf("Could not abort the upload of %s yet: %s", key, e.getMessage());
            return false;
        }
    }

    @Override
    public List<OpenUpload> openUploads(String prefix) {
        List<OpenUpload> open = new ArrayList<>();
        String keyMarker = null;
        String uploadMarker = null;
        while (true) {
            String key = keyMarker;
            String upload = uploadMarker;
            ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)
                    .keyMarker(key).uploadIdMarker(upload));
            page.uploads().forEach(u -> open.add(new OpenUpload(u.key(), u.uploadId(), u.initiated())));
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextKeyMarker() == null) {
                return open;
            }
            keyMarker = page.nextKeyMarker();
            uploadMarker = page.nextUploadIdMarker();
        }
    }

    @Override
    public String presignedDownload(String key, Duration lifetime) {
        return presigner.presignGetObject(b -> b.signatureDuration(lifetime)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
    }

    /**
     * Bytes written are cut into parts of the configured size; each full part is uploaded by a
     * small pool while the next fills, at most upload-threads parts in flight. The SHA-256 and size
     * of the whole object are computed on the way.
     */
    private final class MultipartUpload implements Upload {

        private final String key;
        private final String uploadId;
        private final int partSize = settings.partSizeMib() * 1024 * 1024;
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

        MultipartUpload(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
            int threads = Math.max(1, settings.uploadThreads());
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
                    String etag = reconnecting(() -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(number).contentLength((long) length).overrideConfiguration(bounded()),
                            RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, length), length))).eTag();
                    return CompletedPart.builder().partNumber(number).eTag(etag).build();
                } catch (ApiCallTimeoutException e) {
                    failure = stalled("part " + number, e);
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
        public Result complete() {
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
                            .multipartUpload(m -> m.parts(done)).overrideConfiguration(bounded()));
                } catch (ApiCallTimeoutException e) {
                    throw stalled("the end of the upload", e);
                }
                return new Result(size, HexFormat.of().formatHex(sha256.digest()));
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
            return S3BackupStore.this.abort(key, uploadId);
        }
    }
}
