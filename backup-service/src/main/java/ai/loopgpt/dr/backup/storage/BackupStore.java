package ai.loopgpt.dr.backup.storage;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/** Where backups are kept. Keys come from {@link BackupLayout} only. */
public interface BackupStore {

    /** The bucket (or equivalent) holding the backups. */
    String bucket();

    /**
     * Starts a streamed upload of {@code key}: bytes written to the returned stream go up in parts;
     * nothing is visible under {@code key} until {@link Upload#complete()}. Where the bucket locks
     * objects, it cannot be deleted before {@code retainUntil}.
     */
    Upload startUpload(String key, java.time.Instant retainUntil);

    /** Writes a small object (a manifest) in one request, locked until {@code retainUntil} where objects lock. */
    void put(String key, byte[] content, String contentType, java.time.Instant retainUntil);

    /**
     * Writes a self-check probe as {@link #put} writes an object, but tried once (with the client's
     * own quick retries only): a check says what the bucket answers now, within its time limit.
     */
    default void putProbe(String key, byte[] content, String contentType, java.time.Instant retainUntil) {
        put(key, content, contentType, retainUntil);
    }

    byte[] get(String key);

    /** Reads {@code key} as a stream (the caller closes it). */
    java.io.InputStream open(String key);

    /** Deletes {@code key}; deleting what is already gone is no error. */
    void delete(String key);

    boolean exists(String key);

    /** The size of {@code key}, or empty when there is no such object. */
    java.util.OptionalLong size(String key);

    /** Every manifest key in the bucket. */
    List<String> manifestKeys();

    /** Every key under {@code prefix}, in key order. */
    List<String> keys(String prefix);

    /** Aborts the multipart upload {@code uploadId} of {@code key}; true if it is gone afterwards. */
    boolean abort(String key, String uploadId);

    /** Every multipart upload still open under {@code prefix}. */
    List<OpenUpload> openUploads(String prefix);

    /** A multipart upload started and neither completed nor aborted. */
    record OpenUpload(String key, String uploadId, java.time.Instant initiated) {
    }

    /** A URL that downloads {@code key} without credentials until it expires. */
    String presignedDownload(String key, Duration lifetime);

    /** A streamed upload in progress. */
    interface Upload extends AutoCloseable {
        String key();

        String uploadId();

        /** The stream to write the object's bytes to; closing it does not complete the upload. */
        OutputStream stream();

        /** Waits for every part and completes the upload: the object becomes visible. */
        Result complete();

        /** Abandons the upload; true if the store confirmed the abort. */
        boolean abort();

        @Override
        default void close() {
        }
    }

    /** The object as uploaded: its size and SHA-256 (hex). */
    record Result(long sizeBytes, String sha256) {
    }
}
