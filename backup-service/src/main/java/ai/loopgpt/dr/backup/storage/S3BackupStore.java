package ai.loopgpt.dr.backup.storage;

import ai.loopgpt.dr.backup.config.BackupSettings;
import ai.loopgpt.dr.s3.BucketSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
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
    private final S3Writes writes;

    public S3BackupStore(S3Client s3, S3Presigner presigner, BucketSettings bucket, BackupSettings settings) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket.bucket();
        this.settings = settings.storage();
        this.writes = new S3Writes(settings.storage().stallTimeout());
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
                .overrideConfiguration(writes.bounded());
        settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
        if (lockMode() != null) {
            request.objectLockMode(lockMode()).objectLockRetainUntilDate(retainUntil);
        }
        String uploadId = S3Writes.reconnecting(() -> s3.createMultipartUpload(request.build())).uploadId();
        return new MultipartUpload(s3, bucket, writes, settings.partSizeMib() * 1024 * 1024, settings.uploadThreads(),
                key, uploadId, this);
    }

    @Override
    public void put(String key, byte[] content, String contentType, Instant retainUntil) {
        PutObjectRequest request = putRequest(key, contentType, retainUntil);
        try {
            S3Writes.reconnecting(() -> s3.putObject(request, RequestBody.fromBytes(content)));
        } catch (ApiCallTimeoutException e) {
            throw writes.stalled(key, e);
        }
    }

    @Override
    public void putProbe(String key, byte[] content, String contentType, Instant retainUntil) {
        s3.putObject(putRequest(key, contentType, retainUntil), RequestBody.fromBytes(content));
    }

    private PutObjectRequest putRequest(String key, String contentType, Instant retainUntil) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType)
                .serverSideEncryption(sse()).overrideConfiguration(writes.bounded());
        settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
        if (lockMode() != null) {
            request.objectLockMode(lockMode()).objectLockRetainUntilDate(retainUntil);
        }
        return request.build();
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
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
            page.contents().stream().map(S3Object::key).forEach(keys::add);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public boolean abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).overrideConfiguration(writes.bounded()));
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
}
