package ai.loopgpt.dr.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * drctl as the launcher runs it, once the suite is up: it writes drctl's context for this suite and
 * runs drctl doctor, each giving a section of the banner.
 */
final class LocalDrctl {

    private final Path root;
    private final String contextName;

    LocalDrctl(Path root, String contextName) {
        this.root = root;
        this.contextName = contextName;
    }

    /**
     * Writes drctl's {@code local} context (the four URLs, the operator token's file) with drctl itself,
     * so that {@code ./drctl backup list} works now. It becomes the current context unless another one
     * is: an operator's production context is never switched away from behind their back.
     */
    String writeContext(Suite suite, Path tokenFile) {
        if (!Files.isRegularFile(jar())) {
            return "\n(drctl is not built: ./mvnw package -DskipTests -pl dr-cli -am, then restart to get its local context.)\n";
        }
        List<String> command = drctl("context", "set", contextName,
                "--backup-url", "http://localhost:" + suite.port(Service.BACKUP),
                "--recovery-url", "http://localhost:" + suite.port(Service.RECOVERY),
                "--notification-url", "http://localhost:" + suite.port(Service.NOTIFICATION),
                "--status-url", "http://localhost:" + suite.port(Service.STATUS),
                "--token-file", tokenFile.toAbsolutePath().toString());
        try {
            String said = run(command);
            boolean local = run(drctl("context", "show")).lines()
                    .anyMatch(l -> l.matches("context:\\s+" + java.util.regex.Pattern.quote(contextName) + "\\s*"));
            return "\ndrctl: " + said + "\n"
                    + (local ? "  ./drctl backup list\n  ./drctl backup create --target loopgpt --wait\n"
                            : "  Another context is current: add --context " + contextName + ", or run ./drctl context use "
                                    + contextName + "\n");
        } catch (IOException e) {
            return "\n(drctl's local context could not be written: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * drctl's self-check ({@code drctl doctor --context local}) as a banner section: its ✓/✗ lines,
     * and whether every check passed. A failed check is said, and the suite keeps running.
     */
    String selfCheck() {
        if (!Files.isRegularFile(jar())) {
            return "";
        }
        StringBuilder section = new StringBuilder("\nSelf-check (drctl doctor):\n");
        try {
            Finished doctor = run(drctl("doctor", "--context", contextName), Duration.ofSeconds(120));
            // A drctl from before doctor: a usage error (exit 2 or 64, "Unknown" or "Unmatched argument"), no check at all.
            String said = doctor.output();
            if ((doctor.exitCode() == 2 || doctor.exitCode() == 64) && !said.contains("✓") && !said.contains("✗")
                    && (said.contains("Unknown") || said.contains("Unmatched argument"))) {
                return section.append("  (drctl doctor not available)\n").toString();
            }
            said.lines().forEach(line -> section.append(line.isBlank() ? "" : "  " + line).append('\n'));
            if (doctor.exitCode() != 0) {
                section.append("  Some checks failed: see above (drctl doctor exited with ").append(doctor.exitCode())
                        .append("). The suite keeps running.\n");
            }
        } catch (IOException e) {
            section.append("  Some checks failed: drctl doctor could not run: ").append(e.getMessage()).append('\n');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return section.toString();
    }

    private Path jar() {
        return root.resolve("dr-cli/target/quarkus-app/quarkus-run.jar");
    }

    /** The command running drctl with {@code args}, as the {@code drctl} script does. */
    private List<String> drctl(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A finished command: its exit code and its output (stdout and stderr together). */
    record Finished(int exitCode, String output) {
    }

    /** Runs a short command; its output, or an IOException saying why it failed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Finished finished = run(command, Duration.ofSeconds(60));
        if (finished.exitCode() != 0) {
            throw new IOException(finished.output());
        }
        return finished.output();
    }

    /** Runs a command for at most {@code timeout}; an IOException if it could not start or did not finish. */
    private static Finished run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        // Output goes to a file, not a pipe: a command that hangs cannot hang the launcher past the timeout.
        Path output = Files.createTempFile("dr-launcher-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("no answer within " + timeout.toSeconds() + " s: " + String.join(" ", command));
            }
            return new Finished(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
