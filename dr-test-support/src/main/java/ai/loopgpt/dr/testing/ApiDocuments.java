package ai.loopgpt.dr.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The OpenAPI documents kept in the repository, {@code docs/api/<service>.yaml}: a service's served
 * document must be its file, so that a change to the API shows in review and clients are generated
 * from what the service really serves.
 *
 * <p>To refresh the files after an API change, run the contract tests with {@code -Ddr.openapi.update=true}
 * (the root README gives the command): each served document is then written to its file.
 */
public final class ApiDocuments {

    /** The system property that makes the check write the served document to its file instead of failing. */
    public static final String UPDATE = "dr.openapi.update";

    private ApiDocuments() {
    }

    /** The repository's root: the nearest folder, from the module's, holding the Maven wrapper. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new IllegalStateException("No repository root (a folder with mvnw) above " + dir);
    }

    /** The file that holds a service's document. */
    public static Path file(String service) {
        return repositoryRoot().resolve("docs/api/" + service + ".yaml");
    }

    /**
     * Fails when the served document differs from the service's file (line endings and trailing
     * blanks aside); the served one is then written to the module's {@code target/openapi/} and the
     * message says which command copies it over.
     */
    public static void assertServedIsKept(String service, String served) {
        Path kept = file(service);
        String normalized = normalize(served);
        try {
            if (Boolean.getBoolean(UPDATE)) {
                Files.createDirectories(kept.getParent());
                Files.writeString(kept, normalized, StandardCharsets.UTF_8);
                return;
            }
            String expected = Files.exists(kept) ? normalize(Files.readString(kept, StandardCharsets.UTF_8)) : null;
            if (normalized.equals(expected)) {
                return;
            }
            Path written = Path.of("target", "openapi", service + ".yaml").toAbsolutePath();
            Files.createDirectories(written.getParent());
            Files.writeString(written, normalized, StandardCharsets.UTF_8);
            Path root = repositoryRoot();
            fail((expected == null ? "docs/api/" + service + ".yaml is missing" : "The served OpenAPI document of "
                    + service + " differs from docs/api/" + service + ".yaml" + firstDifference(expected, normalized))
                    + ".\nIf the API change is intended, keep the served document (then review the diff):\n  cp "
                    + root.relativize(written) + " " + root.relativize(kept)
                    + "\n(or refresh every service's file at once: see 'API documents' in the root README)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String normalize(String yaml) {
        return yaml.replace("\r\n", "\n").lines().map(String::stripTrailing)
                .collect(Collectors.joining("\n")).strip() + "\n";
    }

    private static String firstDifference(String expected, String served) {
        String[] a = expected.split("\n", -1);
        String[] b = served.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end of file>";
            String y = i < b.length ? b[i] : "<end of file>";
            if (!x.equals(y)) {
                return " from line " + (i + 1) + ":\n  kept:   " + x + "\n  served: " + y;
            }
        }
        return "";
    }
}
