package ai.loopgpt.dr.recovery.rollback;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * A rollback asked for (POST /api/v1/rollbacks, or an incident's rollback step); without toRevision,
 * the revision before the current one.
 */
public record RollbackRequest(@NotBlank String namespace, @NotBlank String deployment, @Min(1) Long toRevision,
        String healthUrl) {
}
