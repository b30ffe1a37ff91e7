package ai.loopgpt.dr.recovery.incident;

import ai.loopgpt.dr.common.web.CodedColumn;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An incident: one of the plan's scenarios, declared by an operator, open until resolved. */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    /** How bad it is, as the status page's impact. */
    public enum Severity { CRITICAL, MAJOR, MINOR }

    public enum Status { OPEN, RESOLVED }

    @Id
    public UUID id;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    @jakarta.persistence.Convert(converter = ScenarioColumn.class)
    public Scenario scenario;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Severity severity;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Status status;

    public String summary;

    /** The token subject of the operator who declared it. */
    @Column(name = "declared_by", nullable = false)
    public String declaredBy;

    @Column(name = "declared_at", nullable = false)
    public Instant declaredAt;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    /** When the trouble began, if before the declaration (the RTO counts from here). */
    @Column(name = "started_at")
    public Instant startedAt;

    /** Who holds each of the plan's roles: role → person. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    public java.util.Map<String, String> roles;

    /** The status-page components affected. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    @Column(name = "affected_components")
    public java.util.List<String> affectedComponents;

    /** The version of the scenario's runbook the incident follows. */
    @Column(name = "runbook_version")
    public Integer runbookVersion;

    /** The backup-service targets (databases) the incident touches: their RPO is measured. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    @Column(name = "affected_targets")
    public java.util.List<String> affectedTargets;

    /** Started → resolved, once resolved. */
    @Column(name = "rto_seconds")
    public Long rtoSeconds;

    /** Each action the incident ran (a restore, a rollback): its step, link, outcome and duration. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    @Column(name = "action_times")
    public java.util.List<java.util.Map<String, Object>> actionTimes;

    /** Per affected target: the last good backup before the start and the data-loss window. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    public java.util.Map<String, java.util.Map<String, Object>> rpo;

    /** The public incident's id on status-service (chosen here, so that a retry never opens two). */
    @Column(name = "status_page_id")
    public String statusPageId;

    /** When the public incident became visible (status-service took it). */
    @Column(name = "published_at")
    public Instant publishedAt;

    /** A data breach: when the company became aware of it (the GDPR's 72 hours count from here). */
    @Column(name = "aware_at")
    public Instant awareAt;

    @Column(name = "authority_notified_at")
    public Instant authorityNotifiedAt;

    @Column(name = "users_notified_at")
    public Instant usersNotifiedAt;

    /** A game day: scratch targets only, messages to the drill audience only, never the public page. */
    @Column(nullable = false)
    public boolean drill;

    /** A provider outage: the provider (recovery.providers) that is down. */
    public String provider;

    @Column(name = "root_cause")
    public String rootCause;

    @Column(name = "preventive_measures")
    public String preventiveMeasures;

    @jakarta.persistence.Converter
    public static class ScenarioColumn extends CodedColumn<Scenario> {
        public ScenarioColumn() {
            super(Scenario.class);
        }
    }
}
