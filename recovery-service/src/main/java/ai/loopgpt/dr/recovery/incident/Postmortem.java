package ai.loopgpt.dr.recovery.incident;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An incident's post-mortem: due within 48 hours of its resolution. */
@Entity
@Table(name = "postmortem")
public class Postmortem extends PanacheEntityBase {

    @Id
    @Column(name = "incident_id")
    public UUID incidentId;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "completed_by")
    public String completedBy;

    /** When the team was reminded that it is overdue (once). */
    @Column(name = "reminded_at")
    public Instant remindedAt;

    /** The meeting's conclusions, in its participants' words. */
    public String summary;
}
