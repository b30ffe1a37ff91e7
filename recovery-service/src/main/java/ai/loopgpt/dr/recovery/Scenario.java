package ai.loopgpt.dr.recovery;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The five disaster scenarios of LoopGPT's Disaster Recovery Plan. */
public enum Scenario {
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
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    @JsonCreator
    public static Scenario of(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not one of the values accepted: ["
                        + String.join(", ", Arrays.stream(values()).map(Scenario::code).toList()) + "]"));
    }
}
