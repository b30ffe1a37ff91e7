package ai.loopgpt.dr.common.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One mutating call: who did what to which target, how it ended, when, under which request id. */
@Entity
@Table(name = "audit_log")
public class AuditRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    public Instant occurredAt;

    /** The token subject, or {@code anonymous} when the call carried no valid token. */
    @Column(nullable = false, updatable = false)
    public String actor;

    /** The most powerful suite role the caller held. */
    @Column(nullable = false, updatable = false)
    public String role;

    /** The operation: HTTP method and route, e.g. {@code POST /api/v1/backups}. */
    @Column(nullable = false, updatable = false)
    public String action;

    /** What was acted on: the request path, e.g. {@code /api/v1/components/api}. */
    @Column(nullable = false, updatable = false)
    public String target;

    @Column(nullable = false, updatable = false)
    public String outcome;

    @Column(nullable = false, updatable = false)
    public int status;

    @Column(name = "request_id", updatable = false)
    public String requestId;
}
