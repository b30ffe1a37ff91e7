package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.common.web.Coded;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What pg_dump writes: plain SQL (the plan's format), a custom archive, or a directory archive (parallel). */
public enum DumpFormat implements Coded {
    /** Plain SQL, restored with psql: the plan's own format. */
    PLAIN("plain", "sql"),
    /** pg_dump's custom archive, restored with pg_restore (parallel with -j from a file). */
    CUSTOM("custom", "dump"),
    /** pg_dump's directory archive dumped with parallel jobs, stored as a tar, restored with pg_restore -j. */
    DIRECTORY("directory", "tar");

    private final String code;
    private final String extension;

    DumpFormat(String code, String extension) {
        this.code = code;
        this.extension = extension;
    }

    @JsonValue
    @Override
    public String code() {
        return code;
    }

    public String extension() {
        return extension;
    }

    @JsonCreator
    public static DumpFormat of(String code) {
        return Coded.byCode(DumpFormat.class, code);
    }
}
