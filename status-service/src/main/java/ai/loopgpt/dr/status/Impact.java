package ai.loopgpt.dr.status;

import ai.loopgpt.dr.common.web.Coded;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How bad an incident is, as Statuspage's impact ({@code maintenance} for scheduled maintenances). */
public enum Impact implements Coded {
    NONE("none"), MINOR("minor"), MAJOR("major"), CRITICAL("critical"), MAINTENANCE("maintenance");

    private final String code;

    Impact(String code) {
        this.code = code;
    }

    @JsonValue
    @Override
    public String code() {
        return code;
    }

    @JsonCreator
    public static Impact of(String code) {
        return Coded.byCode(Impact.class, code);
    }
}
