package ai.loopgpt.dr.status;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One status change of a component, whoever made it: the history uptime is computed from. */
@Entity
@Table(name = "component_status_change")
public class StatusChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "component_id", nullable = false)
    public String componentId;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(name = "old_status", nullable = false)
    @Convert(converter = Component.StatusColumn.class)
    public ComponentStatus oldStatus;

    @Column(name = "new_status", nullable = false)
    @Convert(converter = Component.StatusColumn.class)
    public ComponentStatus newStatus;

    /** Records that {@code component} goes to {@code status} at {@code at}, and changes it. */
    public static void apply(Component component, ComponentStatus status, Instant at) {
        if (component.status == status) {
            return;
        }
        StatusChange change = new StatusChange();
        change.componentId = component.id;
        change.changedAt = at;
        change.oldStatus = component.status;
        change.newStatus = status;
        change.persist();
        component.status = status;
        component.updatedAt = at;
    }
}
