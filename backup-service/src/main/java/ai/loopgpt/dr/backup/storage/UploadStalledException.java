package ai.loopgpt.dr.backup.storage;

/** S3 acknowledged nothing of a write within backup.storage.stall-timeout: the upload is given up. */
public class UploadStalledException extends IllegalStateException {

    public UploadStalledException(String message, Throwable cause) {
        super(message, cause);
    }
}
