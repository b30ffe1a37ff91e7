package ai.loopgpt.dr.recovery.restore;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;

/**
 * A restore asked for (POST /api/v1/restores, or an incident's restore step): a backup id, or a target
 * and "latest before" a time, or its latest good backup; where to, and how.
 */
public record RestoreRequest(
        UUID backupId,
        String target,
        Instant latestBefore,
        /** With target: the newest good backup of the target. */
        Boolean latest,
        @NotBlank String destination,
        @Pattern(regexp = "new-database|in-place|drill", message = "must be new-database, in-place or drill")
        String mode,
        String confirm) {
}
