package ai.loopgpt.dr.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** A component's status, spelled exactly as Atlassian Statuspage spells it. */
public enum ComponentStatus {
    OPERATIONAL("operational"),
    DEGRADED_PERFORMANCE("degraded_performance"),
    PARTIAL_OUTAGE("partial_outage"),
    MAJOR_OUTAGE("major_outage"),
    UNDER_MAINTENANCE("under_maintenance");

    private final String code;

    ComponentStatus(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static ComponentStatus of(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not one of the values accepted: ["
                        + String.join(", ", Arrays.stream(values()).map(ComponentStatus::code).toList()) + "]"));
    }
}
