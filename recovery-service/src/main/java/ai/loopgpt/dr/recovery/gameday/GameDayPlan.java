package ai.loopgpt.dr.recovery.gameday;

import ai.loopgpt.dr.common.web.Coded;
import ai.loopgpt.dr.recovery.incident.Scenario;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The plan's four quarterly test scenarios, in the order a game day runs them, and the incident each runs as. */
public enum GameDayPlan implements Coded {
    DATABASE_RESTORE("database-restore", "Database restore", Scenario.DATABASE_FAILURE),
    EDGE_FUNCTION_ROLLBACK("edge-function-rollback", "Edge function rollback", Scenario.EDGE_FUNCTION_FAILURE),
    COMPLETE_SERVICE_RECOVERY("complete-service-recovery", "Complete service recovery", Scenario.COMPLETE_OUTAGE),
    COMMUNICATION_PLAN("communication-plan", "Communication plan", Scenario.COMPLETE_OUTAGE);

    private final String code;
    private final String title;
    private final Scenario incident;

    GameDayPlan(String code, String title, Scenario incident) {
        this.code = code;
        this.title = title;
        this.incident = incident;
    }

    @JsonValue
    @Override
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The incident scenario whose runbook it works through. */
    public Scenario incident() {
        return incident;
    }

    @JsonCreator
    public static GameDayPlan of(String code) {
        return Coded.byCode(GameDayPlan.class, code);
    }
}
