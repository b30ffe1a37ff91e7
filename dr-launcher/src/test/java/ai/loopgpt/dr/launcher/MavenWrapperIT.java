package ai.loopgpt.dr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A newcomer's first command: ./mvnw works with only a JDK. The Maven on this machine's PATH is
 * replaced by one that fails, and the wrapper's cache is empty: the wrapper fetches its pinned Maven
 * by itself.
 */
class MavenWrapperIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void mvnwFetchesItsPinnedMavenWithoutAnInstalledOne() throws Exception {
        Path work = Files.createDirectories(Path.of("target/mvnw-it").toAbsolutePath());
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path fakeMaven = bin.resolve("mvn");
        Files.writeString(fakeMaven, "#!/bin/sh\necho 'the installed Maven was used' >&2\nexit 99\n");
        Files.setPosixFilePermissions(fakeMaven, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path userHome = work.resolve("maven-user-home-" + System.nanoTime());

        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-v")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("MAVEN_USER_HOME", userHome.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_HOME");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        String pinned = Files.readAllLines(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties")).stream()
                .filter(l -> l.startsWith("distributionUrl=")).findFirst().orElseThrow()
                .replaceAll(".*/apache-maven-([0-9.]+)-bin\\.zip$", "$1");
        assertTrue(output.contains("Apache Maven " + pinned), output);
        assertTrue(output.contains("Maven home: " + userHome), output);
    }
}
