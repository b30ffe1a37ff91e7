package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.common.web.Coded;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a backup was taken; decides its retention class. */
public enum BackupKind implements Coded {
    /** Taken by a schedule or a CronJob. */
    AUTOMATIC("automatic"),
    /** Asked for by an operator. */
    MANUAL("manual"),
    /** Taken before a major change (a migration, an in-place restore). */
    PRE_CHANGE("pre-change"),
    /** Taken by a restore drill. */
    DRILL("drill");

    private final String code;

    BackupKind(String code) {
        this.code = code;
    }

    @JsonValue
    @Override
    public String code() {
        return code;
    }

    @JsonCreator
    public static BackupKind of(String code) {
        return Coded.byCode(BackupKind.class, code);
    }
}
