package ai.loopgpt.dr.recovery.incident;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import ai.loopgpt.dr.common.web.Coded;

/** The five disaster scenarios of LoopGPT's Disaster Recovery Plan. */
public enum Scenario implements Coded {
    DATABASE_FAILURE("database-failure", "Database failure"),
    EDGE_FUNCTION_FAILURE("edge-function-failure", "Edge Function failure"),
    PROVIDER_OUTAGE("provider-outage", "Provider API outage"),
    COMPLETE_OUTAGE("complete-outage", "Complete service outage"),
    DATA_BREACH("data-breach", "Data breach");

    private final String code;
    private final String title;

    Scenario(String code, String title) {
        this.code = code;
        this.title = title;
    }

    @JsonValue
    @Override
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    @JsonCreator
    public static Scenario of(String code) {
        return Coded.byCode(Scenario.class, code);
    }
}
