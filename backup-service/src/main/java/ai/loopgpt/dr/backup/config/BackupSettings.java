package ai.loopgpt.dr.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** backup-service configuration. */
@ConfigMapping(prefix = "backup")
public interface BackupSettings {

    /** The databases to protect, by name (lower-case letters, digits and dashes). */
    Map<String, Target> targets();

    /** The pg_dump executable: a name looked up on the PATH or an absolute path. */
    @WithDefault("pg_dump")
    String pgDump();

    /** One database to protect. */
    interface Target {
        String host();

        @WithDefault("5432")
        int port();

        String database();

        String user();

        /** From the environment or a Secret only; never logged, never in an error. */
        Optional<String> password();
    }
}
