package ai.loopgpt.dr.status;

import ai.loopgpt.dr.common.web.Coded;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Incident and maintenance statuses, spelled as Atlassian Statuspage spells them. */
public enum IncidentStatus implements Coded {
    INVESTIGATING("investigating", false, false),
    IDENTIFIED("identified", false, false),
    MONITORING("monitoring", false, false),
    RESOLVED("resolved", false, true),
    POSTMORTEM("postmortem", false, true),
    SCHEDULED("scheduled", true, false),
    IN_PROGRESS("in_progress", true, false),
    VERIFYING("verifying", true, false),
    COMPLETED("completed", true, true);

    private final String code;
    private final boolean maintenance;
    private final boolean closed;

    IncidentStatus(String code, boolean maintenance, boolean closed) {
        this.code = code;
        this.maintenance = maintenance;
        this.closed = closed;
    }

    @JsonValue
    @Override
    public String code() {
        return code;
    }

    /** Whether this status belongs to scheduled maintenances rather than incidents. */
    public boolean maintenance() {
        return maintenance;
    }

    /** Resolved, post-mortem or completed: no longer active. */
    public boolean closed() {
        return closed;
    }

    @JsonCreator
    public static IncidentStatus of(String code) {
        return Coded.byCode(IncidentStatus.class, code);
    }
}
