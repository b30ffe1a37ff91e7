package ai.loopgpt.dr.status;

import ai.loopgpt.dr.common.web.CodedColumn;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An incident or a scheduled maintenance, with its timeline of updates. */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    @Id
    public String id;

    /** {@code incident} or {@code maintenance}. */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    @Convert(converter = StatusColumn.class)
    public IncidentStatus status;

    @Column(nullable = false)
    @Convert(converter = ImpactColumn.class)
    public Impact impact;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "monitoring_at")
    public Instant monitoringAt;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "scheduled_for")
    public Instant scheduledFor;

    @Column(name = "scheduled_until")
    public Instant scheduledUntil;

    /** The probe that opened this incident by itself, if one did. */
    @Column(name = "opened_by_probe")
    public String openedByProbe;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "incident_component", joinColumns = @JoinColumn(name = "incident_id"))
    @Column(name = "component_id")
    public Set<String> components = new LinkedHashSet<>();

    @OneToMany(mappedBy = "incident", cascade = CascadeType.ALL, fetch = FetchType.EAGER)
    @OrderBy("createdAt DESC")
    public List<IncidentUpdate> updates = new ArrayList<>();

    public boolean isMaintenance() {
        return "maintenance".equals(kind);
    }

    @Converter
    public static class StatusColumn extends CodedColumn<IncidentStatus> {
        public StatusColumn() {
            super(IncidentStatus.class);
        }
    }

    @Converter
    public static class ImpactColumn extends CodedColumn<Impact> {
        public ImpactColumn() {
            super(Impact.class);
        }
    }
}
