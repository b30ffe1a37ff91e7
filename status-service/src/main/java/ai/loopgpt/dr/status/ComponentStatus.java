package ai.loopgpt.dr.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import ai.loopgpt.dr.common.web.Coded;

/** A component's status, spelled exactly as Atlassian Statuspage spells it. */
public enum ComponentStatus implements Coded {
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
    @Override
    public String code() {
        return code;
    }

    @JsonCreator
    public static ComponentStatus of(String code) {
        return Coded.byCode(ComponentStatus.class, code);
    }
}
