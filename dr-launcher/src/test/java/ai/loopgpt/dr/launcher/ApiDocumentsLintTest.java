package ai.loopgpt.dr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The four services' OpenAPI documents kept in {@code docs/api/} (each service's contract test keeps
 * its file equal to what the service serves) pass {@code redocly lint} with the recommended rules
 * ({@code redocly.yaml}): no error; warnings are printed. Here, after the four services in the
 * reactor, so that a build refreshing the files lints the new ones.
 */
class ApiDocumentsLintTest {

    /** Where {@code .ci/run} installs the pinned {@code @redocly/cli} when it is not on PATH. */
    static final Path PREFIX = Path.of(System.getProperty("user.home"), ".cache", "loopgpt-dr", "redocly", "bin");

    private static final List<String> SERVICES = List.of("backup-service", "recovery-service", "notification-service",
            "status-service");

    @Test
    void theServicesOpenApiDocumentsHaveNoLintError() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        for (String service : SERVICES) {
            assertTrue(Files.isRegularFile(root.resolve("docs/api/" + service + ".yaml")), "docs/api/" + service
                    + ".yaml is missing: the root README ('API documents') says how to write it");
        }
        Path redocly = redocly();
        ProcessBuilder lint = new ProcessBuilder(redocly.toString(), "lint", "--format=summary")
                .directory(root.toFile()).redirectErrorStream(true);
        // The prefix first: a Node.js that .ci/run installed there beside redocly, when the system's is too old.
        lint.environment().put("PATH", redocly.getParent() + File.pathSeparator + System.getenv("PATH"));
        lint.environment().put("REDOCLY_TELEMETRY", "off");
        lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = lint.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "redocly lint ended");
        String output = new String(out, StandardCharsets.UTF_8);
        System.out.println(output);
        for (String service : SERVICES) {
            assertTrue(output.contains(service + ".yaml"), "redocly linted " + service + ":\n" + output);
        }
        assertEquals(0, process.exitValue(), "redocly lint found errors in docs/api/ (run `redocly lint` at the "
                + "repository root for each one's place and rule):\n" + output);
    }

    /** {@code redocly} on PATH, or in the prefix {@code .ci/run} installs it into. */
    private static Path redocly() throws IOException {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(Path::of);
        return Stream.concat(Stream.of(PREFIX), onPath).map(dir -> dir.resolve("redocly"))
                .filter(Files::isExecutable).findFirst()
                .orElseGet(() -> fail("redocly (@redocly/cli) is not installed: run .ci/run, which installs it into "
                        + PREFIX.getParent() + ", or: npm install -g --prefix " + PREFIX.getParent()
                        + " @redocly/cli@" + pinnedVersion()));
    }

    /** The version .ci/run pins. */
    private static String pinnedVersion() {
        try {
            return Files.readAllLines(Path.of("").toAbsolutePath().getParent().resolve(".ci/run")).stream()
                    .filter(l -> l.startsWith("REDOCLY_VERSION=")).map(l -> l.substring(16)).findFirst().orElse("2");
        } catch (IOException e) {
            return "2";
        }
    }
}
