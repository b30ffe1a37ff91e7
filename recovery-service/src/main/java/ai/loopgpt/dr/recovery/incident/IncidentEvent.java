package ai.loopgpt.dr.recovery.incident;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One line of an incident's timeline: its declaration, a step done or started, its resolution. */
@Entity
@Table(name = "incident_event")
public class IncidentEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id", nullable = false)
    public UUID incidentId;

    @Column(nullable = false)
    public Instant at;

    /** declared, step or resolved. */
    @Column(nullable = false)
    public String kind;

    /** The runbook step, for kind step. */
    @Column(name = "step_id")
    public String stepId;

    /** The token subject of who did it. */
    @Column(nullable = false)
    public String actor;

    /** done (a checklist item), started (an action), or null. */
    public String outcome;

    public String note;

    /** What an action started, e.g. /api/v1/restores/{id}. */
    public String link;

    /** Records an event of incident {@code incident} (in the caller's transaction). */
    public static IncidentEvent add(UUID incident, Instant at, String kind, String step, String actor, String outcome,
            String note, String link) {
        IncidentEvent e = new IncidentEvent();
        e.id = UUID.randomUUID();
        e.incidentId = incident;
        e.at = at;
        e.kind = kind;
        e.stepId = step;
        e.actor = actor;
        e.outcome = outcome;
        e.note = note;
        e.link = link;
        e.persist();
        return e;
    }

}
