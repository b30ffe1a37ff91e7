package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import ai.loopgpt.dr.cli.command.ApiCommand;
import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The bearer token is sent, never printed: a token file or DRCTL_TOKEN that cannot be the token
 * alone is refused saying where and what is wrong without a character of it, and no error message
 * (a service's, a library's) shows it.
 */
class TokenTest {

    static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLWFsaWNl";
    static final String TARGETS = "/api/v1/targets";

    HttpReceiver backup;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        backup = new HttpReceiver();
        backup.script(TARGETS, Answer.of(200, "[]"));
    }

    @AfterEach
    void stop() {
        backup.close();
    }

    /** No configuration file, backup-service at the receiver, and the given variables (no token unless given). */
    Map<String, String> env(String... keysAndValues) {
        Map<String, String> env = InProcessDrctl.env(dir.resolve("none.yaml"), "DRCTL_BACKUP_URL", backup.url(""));
        env.remove("DRCTL_TOKEN");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    static Stream<Arguments> tokenFilesRefused() {
        return Stream.of(
                Arguments.of(TOKEN + "\nsecond-line-secret\n", "has 2 lines; it must hold the token alone."),
                Arguments.of(TOKEN + "\n\n  second-line-secret  \r\nthird\n", "has 3 lines; it must hold the token alone."),
                Arguments.of("Bearer " + TOKEN + "\n", "starts with 'Bearer '; it must hold the token alone, without the scheme."),
                Arguments.of(TOKEN.substring(0, 30) + " " + TOKEN.substring(30), "holds a space (character 31 of "),
                Arguments.of(TOKEN + "\u001b[2J", "holds a control character (character " + (TOKEN.length() + 1) + " of "),
                Arguments.of(TOKEN + "\u00e9", "holds a character that is not ASCII"),
                Arguments.of("\n \n", "is empty."));
    }

    @ParameterizedTest
    @MethodSource("tokenFilesRefused")
    void aTokenFileThatIsNotTheTokenAloneIsRefusedWithoutShowingIt(String content, String problem) throws Exception {
        Path file = Files.writeString(dir.resolve("operator.jwt"), content);

        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_TOKEN_FILE", file.toString()), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).startsWith("Error: The token file " + file + " (DRCTL_TOKEN_FILE) ").contains(problem);
        assertNothingOfTheToken(run);
        assertThat(backup.requests(TARGETS).size()).isZero();
    }

    @Test
    void theContextsTokenFileIsNamedWhenRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("operator.jwt"), TOKEN + "\nx\n");
        Path config = Files.writeString(dir.resolve("config.yaml"), "current-context: local\ncontexts:\n  local:\n"
                + "    backup-url: " + backup.url("") + "\n    token-file: " + file + "\n");

        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_CONFIG", config.toString()), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).isEqualTo("Error: The token file " + file + " (the context's token-file) has 2 lines; "
                + "it must hold the token alone.\n");
    }

    @Test
    void aTokenVariableOfTwoLinesIsRefusedNamingIt() {
        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_TOKEN", TOKEN + "\nsecond-line-secret"), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).isEqualTo("Error: DRCTL_TOKEN has 2 lines; it must hold the token alone.\n");
        assertNothingOfTheToken(run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", " \n\n", "\t\n"})
    void aTokenFileWithTrailingWhitespaceIsSentAsTheTokenAlone(String trailing) throws Exception {
        Path file = Files.writeString(dir.resolve("operator.jwt"), "  " + TOKEN + trailing);

        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_TOKEN_FILE", file.toString()), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(backup.requests(TARGETS).get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aRefusalEchoingTheTokenIsPrintedWithoutIt() {
        backup.script(TARGETS, Answer.of(400, "invalid header value: \"Bearer " + TOKEN + "\""));

        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_TOKEN", TOKEN), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("invalid header value: \"Bearer ***\"");
        assertNothingOfTheToken(run);
    }

    @Test
    void aProblemQuotingTheBareTokenIsPrintedWithoutIt() {
        backup.script(TARGETS, Answer.of(401, "{\"title\":\"Unauthorized\",\"detail\":\"token " + TOKEN + " expired\"}"));

        InProcessDrctl.Run run = InProcessDrctl.run(env("DRCTL_TOKEN", TOKEN), "targets", "list");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).contains("token *** expired").contains("The token (the DRCTL_TOKEN environment variable)");
        assertNothingOfTheToken(run);
    }

    /** A command whose library fails quoting the request's Authorization header, as the JDK's HTTP client can. */
    @Command(name = "leak")
    static class Leak extends ApiCommand {
        @Override
        protected int run() {
            String token = api.connection().tokenSource().token(api.timeout());
            throw new IllegalStateException("invalid header value: \"Bearer " + token + "\nx\" (token " + token + ")");
        }
    }

    @Test
    void anUnexpectedFailureQuotingTheTokenIsOneLineWithoutIt() {
        Map<String, String> env = new HashMap<>(env("DRCTL_TOKEN", TOKEN));
        CommandLine line = new CommandLine(new Drctl(env::get));
        line.addSubcommand("leak", new Leak());

        InProcessDrctl.Run run = InProcessDrctl.run(Drctl.configure(line), "leak");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).isEqualTo("Error: drctl stopped on an unexpected IllegalStateException (invalid header "
                + "value: \"Bearer ***); please report it with the command line.\n");
        assertNothingOfTheToken(run);
    }

    @Test
    void redactionTakesOutKnownSecretsAndAnyCredentials() {
        Secrets secrets = new Secrets();
        secrets.add("client-secret-42");

        assertThat(secrets.redact("Basic ZHJjdGw6c2VjcmV0 for client-secret-42; authorization: bearer abc.def-ghi_jkl"))
                .isEqualTo("Basic *** for ***; authorization: bearer ***");
        assertThat(Secrets.redactCredentials("the bearer token from the file")).isEqualTo("the bearer token from the file");
    }

    private static void assertNothingOfTheToken(InProcessDrctl.Run run) {
        for (String part : new String[] {TOKEN.substring(0, 12), TOKEN.substring(20, 32), TOKEN.substring(TOKEN.length() - 12),
                "second-line-secret"}) {
            assertThat(run.out() + run.err()).doesNotContain(part);
        }
    }
}
