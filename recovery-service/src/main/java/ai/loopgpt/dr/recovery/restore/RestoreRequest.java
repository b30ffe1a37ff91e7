package ai.loopgpt.dr.recovery.restore;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;

/**
 * A restore asked for (POST /api/v1/restores, or an incident's restore step): a backup id, or a target
 * and "latest before" a time, or its latest good backup, or (a streamed target) the time to bring it
 * to; where to, and how.
 */
public record RestoreRequest(
        UUID backupId,
        String target,
        Instant latestBefore,
        /** With target: the newest good backup of the target. */
        Boolean latest,
        /** With target (streamed): its base backup, then its changes up to the last committed at or before then. */
        Instant toTime,
        @NotBlank String destination,
        @Pattern(regexp = "new-database|in-place|drill", message = "must be new-database, in-place or drill")
        String mode,
        String confirm) {
}
