package ai.loopgpt.dr.recovery.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** recovery-service's own copy of what backup-service says about a backup. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupDto(UUID id, String target, String kind, String format, String compression, String phase,
        Instant startedAt, Instant finishedAt, String bucket, String objectKey, Long sizeBytes, String sha256,
        Map<String, Long> tableRows, String failureReason) {

    public boolean succeeded() {
        return "SUCCEEDED".equals(phase);
    }

    public boolean failed() {
        return "FAILED".equals(phase);
    }

    /** One page of backups. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(List<BackupDto> items, long total) {
    }

    /** What recovery-service asks backup-service for. */
    public record Request(String target, String kind, String reason) {
    }
}
