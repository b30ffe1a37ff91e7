package ai.loopgpt.dr.recovery.gameday;

import ai.loopgpt.dr.common.job.JobPhase;
import ai.loopgpt.dr.common.job.JobRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A game day that runs itself: the plan's test scenarios one after another, each a drill incident
 * ({@link GameDayScenario}). It fails when one of them fails; a skipped one does not fail it.
 */
@Entity
@Table(name = "game_day")
public class GameDay extends JobRecord {

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public JobPhase phase;

    /** The one place a game day changes phase. */
    public void moveTo(JobPhase next, Instant at) {
        stamp(phase, next, at);
        phase = next;
        if (next.isFinal() && startedAt == null) {
            startedAt = at;
        }
    }
}
