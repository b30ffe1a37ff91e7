package ai.loopgpt.dr.recovery.gameday;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One scenario of a game day: the drill incident it ran as, the step it is at, what it measured,
 * and what it must undo if the service stops in the middle (a drill Deployment rolled back, the
 * drill copy of the components changed).
 */
@Entity
@Table(name = "game_day_scenario")
public class GameDayScenario extends PanacheEntityBase {

    /** A scenario's phases: a skipped one could not run here (and says why); it does not fail the game day. */
    public enum Phase {
        PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED;

        public boolean isFinal() {
            return this != PENDING && this != RUNNING;
        }
    }

    @Id
    public UUID id;

    @Column(name = "game_day_id", nullable = false)
    public UUID gameDayId;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String scenario;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public Phase phase;

    @Column(name = "incident_id")
    public UUID incidentId;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The runbook step it is at (or ended at). */
    public String step;

    @Column(name = "failed_step")
    public String failedStep;

    /** Why it failed or was skipped, for a human. */
    public String reason;

    @Column(name = "rto_seconds")
    public Double rtoSeconds;

    @Column(name = "rpo_seconds")
    public Double rpoSeconds;

    @Column(name = "first_message_seconds")
    public Double firstMessageSeconds;

    /** Each action it ran: step, kind, link, outcome, seconds, detail. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<Map<String, Object>> actions = new java.util.ArrayList<>();

    /** The drill copy of the status page's components: {component: {original, drill}}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Map<String, String>> components;

    /** A drill Deployment rolled back and not yet rolled forward: namespace, deployment, revision. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "rolled_back")
    public Map<String, Object> rolledBack;

    public static List<GameDayScenario> of(UUID gameDay) {
        return list("gameDayId", io.quarkus.panache.common.Sort.ascending("position"), gameDay);
    }
}
