package ai.loopgpt.dr.common.audit;

import java.time.Instant;

/** An audit record as the API shows it. */
public record AuditEntry(long id, Instant occurredAt, String actor, String role, String action, String target,
        Outcome outcome, int status, String requestId) {

    /** How a call ended: it did what was asked, the caller was refused, or it failed. */
    public enum Outcome {
        SUCCEEDED, DENIED, REJECTED, FAILED;

        static Outcome of(int status) {
            if (status < 400) {
                return SUCCEEDED;
            }
            if (status == 401 || status == 403) {
                return DENIED;
            }
            return status < 500 ? REJECTED : FAILED;
        }
    }

    static AuditEntry of(AuditRecord r) {
        return new AuditEntry(r.id, r.occurredAt, r.actor, r.role, r.action, r.target, Outcome.valueOf(r.outcome),
                r.status, r.requestId);
    }
}
