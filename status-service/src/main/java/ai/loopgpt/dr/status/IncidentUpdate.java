package ai.loopgpt.dr.status;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One entry of an incident's timeline, with the component statuses it changed. */
@Entity
@Table(name = "incident_update")
public class IncidentUpdate extends PanacheEntityBase {

    @Id
    public String id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "incident_id")
    public Incident incident;

    @Column(nullable = false)
    @Convert(converter = Incident.StatusColumn.class)
    public IncidentStatus status;

    @Column(nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "display_at", nullable = false)
    public Instant displayAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "incident_update_component", joinColumns = @JoinColumn(name = "update_id"))
    public List<ComponentChange> changes = new ArrayList<>();

    /** A component's status before and after this update. */
    @Embeddable
    public static class ComponentChange {
        @Column(name = "component_id", nullable = false)
        public String componentId;

        @Column(name = "old_status", nullable = false)
        @Convert(converter = Component.StatusColumn.class)
        public ComponentStatus oldStatus;

        @Column(name = "new_status", nullable = false)
        @Convert(converter = Component.StatusColumn.class)
        public ComponentStatus newStatus;
    }
}
