package ai.loopgpt.dr.status;

import ai.loopgpt.dr.common.web.CodedColumn;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A part of LoopGPT shown on the status page, with its current status. */
@Entity
@Table(name = "component")
public class Component extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "group_name", nullable = false)
    public String group;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    @Convert(converter = StatusColumn.class)
    public ComponentStatus status;

    /** False once the component left the configuration: kept for history, not shown. */
    @Column(nullable = false)
    public boolean listed;

    /** False for an internal component: never on the public page or the public API. */
    @Column(nullable = false)
    public boolean shown = true;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Stores the Statuspage spelling, not the Java constant. */
    @Converter
    public static class StatusColumn extends CodedColumn<ComponentStatus> {
        public StatusColumn() {
            super(ComponentStatus.class);
        }
    }
}
