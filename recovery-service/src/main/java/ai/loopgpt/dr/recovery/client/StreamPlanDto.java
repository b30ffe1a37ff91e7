package ai.loopgpt.dr.recovery.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * recovery-service's copy of backup-service's plan to bring a streamed target to a time: the base
 * backup of the chain that covers it, then the chain's change segments in order, the last one cut
 * at the time.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamPlanDto(String target, Instant toTime, Base base, List<Segment> segments) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Base(UUID id) {
    }

    /** A change segment: its object, checksum, commit LSNs (text, {@code 0/16B3748}) and times. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Segment(String objectKey, String sha256, String firstLsn, String lastLsn, Instant firstCommitTime,
            Instant lastCommitTime, int transactions, boolean cut) {
    }
}
