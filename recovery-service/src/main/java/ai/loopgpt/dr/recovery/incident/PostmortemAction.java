package ai.loopgpt.dr.recovery.incident;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** An action item of a post-mortem, with its owner and deadline. */
@Entity
@Table(name = "postmortem_action")
public class PostmortemAction extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    @Column(nullable = false)
    public String description;

    @Column(nullable = false)
    public String owner;

    @Column(name = "due_date", nullable = false)
    public LocalDate dueDate;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    /** When it was closed (null: still open). */
    @Column(name = "done_at")
    public Instant doneAt;

    @Column(name = "done_by")
    public String doneBy;

    @Column(name = "done_note")
    public String doneNote;

    /** What an action item is: done, overdue (its due date has passed, it is not done) or open. */
    public enum State { OPEN, OVERDUE, DONE }

    public State state(LocalDate today) {
        return doneAt != null ? State.DONE : dueDate.isBefore(today) ? State.OVERDUE : State.OPEN;
    }
}
