package ai.loopgpt.dr.cli;

import ai.loopgpt.dr.testing.ClassDataSharing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged drctl as an operator's shell or a CronJob would: a process, its output, its exit code. */
final class DrctlProcess {

    /** What a run left: exit code, stdout, stderr, how long it took. */
    record Run(int exit, String out, String err, Duration took) {
        @Override
        public String toString() {
            return "exit " + exit + " after " + took.toMillis() + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Path jar() {
        Path jar = ai.loopgpt.dr.testing.BackupServiceResource.repositoryRoot().resolve("dr-cli/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package dr-cli first");
        }
        return jar;
    }

    static List<String> command(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        command.addAll(ClassDataSharing.forProgram(jar()));
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs drctl with {@code env} added to a clean environment (no DRCTL_* of the machine's). */
    static Run run(Map<String, String> env, String... args) {
        return run(env, command(args));
    }

    static Run run(Map<String, String> env, List<String> command) {
        try {
            Path out = Files.createTempFile("drctl", ".out");
            Path err = Files.createTempFile("drctl", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().keySet().removeIf(k -> k.startsWith("DRCTL_"));
            builder.environment().putAll(env);
            long start = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("drctl " + command + " did not end within 3 minutes");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (command.stream().anyMatch(part -> part.contains("-XX:ArchiveClassesAtExit="))) {
                ClassDataSharing.recorded(jar());
            }
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), took);
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> env(Object... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put((String) keysAndValues[i], String.valueOf(keysAndValues[i + 1]));
        }
        return env;
    }

    private DrctlProcess() {
    }
}
