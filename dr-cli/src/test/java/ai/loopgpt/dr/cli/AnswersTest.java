package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What drctl does with answers it cannot use: too large ones are not read past 16 MiB, documents
 * of the wrong shape are reported naming the service and the field (never rendered as "null"),
 * and nothing ends in a stack trace. A backup's object, streamed to a file, has no such limit.
 */
class AnswersTest {

    static final int MIB = 1024 * 1024;

    /** backup-service and recovery-service at one loopback server (their paths differ). */
    HttpReceiver services;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        services = new HttpReceiver();
    }

    @AfterEach
    void stop() {
        services.close();
    }

    InProcessDrctl.Run drctl(String... args) {
        return InProcessDrctl.run(InProcessDrctl.env(dir.resolve("none.yaml"), "DRCTL_BACKUP_URL", services.url(""),
                "DRCTL_RECOVERY_URL", services.url("")), args);
    }

    @Test
    void anAnswerLargerThan16MiBIsNotRead() {
        services.script("/api/v1/backups", Answer.of(200, "{\"items\":[\"" + "a".repeat(22 * MIB) + "\"]}"));

        InProcessDrctl.Run run = drctl("backup", "list");

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).startsWith("Error: The answer from backup-service to GET /api/v1/backups?page=0&size=20 is "
                + "larger than 16 MiB; drctl reads no more of an answer.");
        assertThat(run.err().lines().count()).isEqualTo(1L);
        assertThat(run.out()).isEqualTo("");
    }

    @Test
    void aBackupsObjectIsStreamedToItsFileWhateverItsSize() throws Exception {
        byte[] object = "x".repeat(17 * MIB).getBytes(StandardCharsets.US_ASCII);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object));
        services.script("/api/v1/backups/b-1", Answer.of(200, "{\"id\":\"b-1\",\"target\":\"loopgpt\",\"kind\":\"manual\","
                + "\"phase\":\"SUCCEEDED\",\"objectKey\":\"loopgpt/b-1.sql.gz\",\"sha256\":\"" + sha256 + "\"}"));
        services.script("/api/v1/backups/b-1/download", Answer.of(200, "{\"url\":\"" + services.url("/bucket/b-1.sql.gz") + "\"}"));
        services.script("/bucket/b-1.sql.gz", Answer.of(200, new String(object, StandardCharsets.US_ASCII)));
        Path file = dir.resolve("b-1.sql.gz");

        InProcessDrctl.Run run = drctl("backup", "download", "b-1", "--file", file.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(Files.size(file)).isEqualTo((long) object.length);
        assertThat(run.err()).contains("SHA-256 " + sha256 + " matches the catalog");
        assertThat(services.requests("/bucket/b-1.sql.gz").get(0).header("Authorization")).isEqualTo(null);
    }

    static Stream<Arguments> wrongDocuments() {
        return Stream.of(
                Arguments.of("targets list", "/api/v1/targets", "[{\"name\":\"loopgpt\",\"user\":\"dr\",\"port\":5432,"
                        + "\"database\":\"loopgpt\"}]", "backup-service answered with an unexpected document: missing 'host' in item 0."),
                Arguments.of("targets list", "/api/v1/targets", "[{\"name\":\"loopgpt\",\"user\":\"dr\",\"host\":\"db\","
                        + "\"port\":\"5432\",\"database\":\"loopgpt\"}]", "'port' is a text, not a whole number in item 0."),
                Arguments.of("targets list", "/api/v1/targets", "{\"hello\":\"world\"}", "missing 'items'."),
                Arguments.of("targets list", "/api/v1/targets", "\"targets\"", "expected a list or a page with 'items', got a text."),
                Arguments.of("backup list", "/api/v1/backups", "{\"items\":[{\"id\":\"b-1\",\"target\":\"loopgpt\","
                        + "\"kind\":\"manual\"}],\"total\":1}", "backup-service answered with an unexpected document: "
                        + "missing 'phase' in items[0]."),
                Arguments.of("backup list", "/api/v1/backups", "{\"items\":{\"id\":\"b-1\"}}", "'items' is an object, not a list."),
                Arguments.of("backup list", "/api/v1/backups", "{\"items\":[null]}", "expected an object, got null in items[0]."),
                Arguments.of("backup list", "/api/v1/backups", "{\"items\":[{\"id\":\"b-1\",\"target\":\"loopgpt\","
                        + "\"kind\":\"manual\",\"phase\":\"FAILED\",\"sizeBytes\":\"big\"}]}", "'sizeBytes' is a text, not a whole number"),
                Arguments.of("backup show b-1", "/api/v1/backups/b-1", "[1,2]", "expected an object, got a list."),
                Arguments.of("backup show b-1", "/api/v1/backups/b-1", "{\"id\":\"b-1\",\"target\":\"loopgpt\",\"kind\":\"manual\"}",
                        "backup-service answered with an unexpected document: missing 'phase'."),
                Arguments.of("restore show r-1", "/api/v1/restores/r-1", "{}",
                        "recovery-service answered with an unexpected document: missing 'id'."),
                Arguments.of("restore show r-1", "/api/v1/restores/r-1", "{\"id\":\"r-1\",\"destination\":\"loopgpt\","
                        + "\"phase\":{\"name\":\"RUNNING\"}}", "'phase' is an object, not a text."),
                Arguments.of("restore create --backup b-1 --destination loopgpt", "/api/v1/restores", "{\"phase\":\"PENDING\"}",
                        "recovery-service answered with an unexpected document: missing 'id'."),
                Arguments.of("incident list", "/api/v1/incidents", "{\"items\":[{\"id\":\"i-1\",\"scenario\":\"database-failure\","
                        + "\"severity\":\"MAJOR\",\"status\":\"OPEN\"}]}", "recovery-service answered with an unexpected document: "
                        + "missing 'title' in items[0]."),
                Arguments.of("incident show i-1", "/api/v1/incidents/i-1", "{\"id\":\"i-1\",\"title\":\"Down\",\"scenario\":"
                        + "\"database-failure\",\"severity\":null,\"status\":\"OPEN\"}", "missing 'severity'."),
                Arguments.of("incident step i-1 restore-database --latest --target loopgpt --destination loopgpt --wait",
                        "/api/v1/incidents/i-1/steps/restore-database", "{\"kind\":\"step\",\"link\":\"@127.0.0.1:9/steal\"}",
                        "recovery-service answered with an unexpected document: 'link' is not a restore's or a rollback's."),
                Arguments.of("backup download b-1 --url", "/api/v1/backups/b-1/download", "{\"url\":\"javascript:alert(1)\"}",
                        "backup-service answered with an unexpected document: 'url' is not an http(s) URL."));
    }

    @ParameterizedTest(name = "drctl {0}: {1} answers {2}")
    @MethodSource("wrongDocuments")
    void aDocumentOfTheWrongShapeIsReportedNotPrinted(String commandLine, String path, String document, String message) {
        services.script("/api/v1/backups/b-1", Answer.of(200, "{\"id\":\"b-1\",\"target\":\"loopgpt\",\"kind\":\"manual\","
                + "\"phase\":\"SUCCEEDED\",\"objectKey\":\"loopgpt/b-1.sql.gz\"}"));
        services.script(path, Answer.of(200, document));

        InProcessDrctl.Run run = drctl(ShellWords.split(commandLine).toArray(String[]::new));

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).as(run.toString()).startsWith("Error: ").contains(message);
        assertThat(run.out() + run.err()).doesNotContain("null@").doesNotContain("null/").doesNotContain("\tat ");
    }

    @Test
    void aTargetWithEveryFieldIsATableRow() {
        services.script("/api/v1/targets", Answer.of(200, "[{\"name\":\"loopgpt\",\"user\":\"dr\",\"host\":\"db.internal\","
                + "\"port\":5432,\"database\":\"loopgpt\",\"streamed\":true,\"rpoAgeSeconds\":600,\"rpoBreached\":false}]"));

        InProcessDrctl.Run run = drctl("targets", "list");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("loopgpt\\s+dr@db\\.internal:5432/loopgpt\\s+-\\s+yes\\s+10m00s\\s+ok");
    }

    @Test
    void jsonOutputIsTheAnswerUnchangedWhateverItsShape() {
        services.script("/api/v1/targets", Answer.of(200, "{\"hello\":\"world\"}"));

        InProcessDrctl.Run run = drctl("targets", "list", "-o", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"hello\" : \"world\"");
    }

    /** A command with a defect. */
    @Command(name = "defect")
    static class Defect implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NullPointerException("Cannot invoke \"String.length()\" because \"key\" is null\n\tat somewhere");
        }
    }

    @Test
    void anUnexpectedFailureIsOneLineAndExitOne() {
        CommandLine line = new CommandLine(new Drctl(name -> null));
        line.addSubcommand("defect", new Defect());

        InProcessDrctl.Run run = InProcessDrctl.run(Drctl.configure(line), "defect");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).isEqualTo("Error: drctl stopped on an unexpected NullPointerException (Cannot invoke "
                + "\"String.length()\" because \"key\" is null); please report it with the command line.\n");
    }
}
