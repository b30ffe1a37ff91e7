package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A configuration drctl cannot use is refused when it is loaded, saying which file, context and key
 * (or variable) is wrong and how, without a Java class name or a stack trace.
 */
class ConfigTest {

    @TempDir
    Path dir;

    Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "ftp://backup.example.com", "localhost:8081", "http:///api",
            "http://user:secret@backup.example.com", "http://localhost:8081/?debug=1", "'{url: http://localhost:8081}'"})
    void aContextsUrlThatIsNotHttpIsRefusedNamingContextAndKey(String url) throws Exception {
        Path config = config("current-context: local\ncontexts:\n  local:\n    recovery-url: http://localhost:8082\n"
                + "    backup-url: " + (url.startsWith("'") ? url.substring(1, url.length() - 1) : "'" + url + "'") + "\n");

        InProcessDrctl.Run run = InProcessDrctl.run(InProcessDrctl.env(config), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).isEqualTo("Error: context 'local' in " + config + ": backup-url must be an http(s) URL "
                + "(http://host:port or https://host, optionally with a path).\n");
    }

    @Test
    void aUrlVariableThatIsNotHttpIsRefusedNamingIt() {
        InProcessDrctl.Run run = InProcessDrctl.run(InProcessDrctl.env(dir.resolve("none.yaml"),
                "DRCTL_RECOVERY_URL", "javascript:alert(document.cookie)"), "incident", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).startsWith("Error: DRCTL_RECOVERY_URL must be an http(s) URL (").doesNotContain("javascript");
    }

    @Test
    void contextSetRefusesAUrlThatIsNotHttp() {
        InProcessDrctl.Run run = InProcessDrctl.run(InProcessDrctl.env(dir.resolve("config.yaml")),
                "context", "set", "local", "--backup-url", "javascript:alert(1)");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Error: --backup-url 'javascript:alert(1)' is not an http(s) URL");
        assertThat(Files.exists(dir.resolve("config.yaml"))).isEqualTo(false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "current-context: local\\ncontexts:\\n  local:\\n    backup-url: [http://localhost:8081\\n| 4",
            "current-context: local\\ncontexts:\\n\\tlocal: {}\\n| 3",
            "current-context: local\\ncontexts:\\n  local:\\n    backup-url: \"http://localhost:8081\\n| 4",
            "contexts: {local: {backup-url: http://localhost:8081}\\ncurrent-context: local\\n| 2",
            "current-context: local\\ncontexts:\\n  local:\\n    backup-url: http://localhost:8081\\n   status-url: x\\n| 5"})
    void garbageYamlIsNotValidYamlAtItsLine(String yaml, int line) throws Exception {
        Path config = config(yaml.replace("\\n", "\n").replace("\\t", "\t"));

        InProcessDrctl.Run run = InProcessDrctl.run(InProcessDrctl.env(config), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).isEqualTo("Error: Cannot read " + config + ": not valid YAML (line " + line + "). Fix it, or "
                + "write it again with drctl context set.\n");
    }

    @Test
    void garbageYamlIsReportedByContextCommandsToo() throws Exception {
        Path config = config("contexts:\n  - : : [\n");

        InProcessDrctl.Run run = InProcessDrctl.run(InProcessDrctl.env(config), "context", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).containsPattern("^Error: Cannot read .*: not valid YAML \\(line \\d+\\)")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
