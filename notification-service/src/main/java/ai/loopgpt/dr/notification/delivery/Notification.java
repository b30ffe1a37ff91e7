package ai.loopgpt.dr.notification.delivery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A notification accepted for sending: a template, its variables and the audience. */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String template;

    @Column(nullable = false)
    public String audience;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> variables;

    @Column(name = "idempotency_key", nullable = false)
    public String idempotencyKey;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
