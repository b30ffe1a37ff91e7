package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.LocalTokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens from the test issuer that {@link JwtResource} makes services trust.
 *
 * <p>RSA is the costly part of a test's own CPU: a 2048-bit key pair takes about a CPU-second to
 * generate, and each signature tens of milliseconds in a test JVM (C1 only). So the issuer's key pair is
 * made once per build, in the repository's {@code target/test-issuer} (every test JVM of a run shares it,
 * as every service it starts trusts it), and a token is signed once per subject and roles and reused
 * for {@link #REUSE} of its hour of validity, as a client keeps its token until it nears expiry.
 */
public final class Tokens {

    /** How long a minted token is handed out again: well inside its hour, so it never expires in a test. */
    private static final Duration REUSE = Duration.ofMinutes(10);

    private static final LocalTokenIssuer ISSUER = sharedIssuer();
    private static final Map<String, Minted> MINTED = new ConcurrentHashMap<>();

    private Tokens() {
    }

    static LocalTokenIssuer issuer() {
        return ISSUER;
    }

    public static String viewer() {
        return as("viewer@loopgpt.test", "dr-viewer");
    }

    public static String operator() {
        return as("operator@loopgpt.test", "dr-operator");
    }

    public static String admin() {
        return as("admin@loopgpt.test", "dr-admin");
    }

    public static String service() {
        return as("system:serviceaccount:dr:cronjob", "dr-service");
    }

    /** A token for {@code subject} with {@code roles}, valid for at least 50 minutes more. */
    public static String as(String subject, String... roles) {
        Instant now = Instant.now();
        return MINTED.compute(subject + "\n" + String.join(",", roles), (key, minted) ->
                minted != null && minted.issuedAt().plus(REUSE).isAfter(now) ? minted
                        : new Minted(ISSUER.token(subject, List.of(roles), Duration.ofHours(1), now), now)).token();
    }

    /** A token of the trusted issuer whose issue time is {@code issuedAt} (valid for an hour from then). */
    public static String issuedAt(Instant issuedAt, String subject, String... roles) {
        return ISSUER.token(subject, List.of(roles), Duration.ofHours(1), issuedAt);
    }

    /** A well-formed token signed by an issuer the service does not trust. */
    public static String forged(String subject, String... roles) {
        return JwtResource.untrusted().token(subject, List.of(roles), Duration.ofHours(1));
    }

    /** The build's test issuer, its keys made by the first test JVM that needs them while the others wait. */
    private static LocalTokenIssuer sharedIssuer() {
        Path keys = BackupServiceResource.repositoryRoot().resolve("target/test-issuer");
        try {
            Files.createDirectories(keys);
            try (FileChannel lock = FileChannel.open(keys.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); var held = lock.lock()) {
                return LocalTokenIssuer.persistentIn(keys);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the test token issuer's keys in " + keys, e);
        }
    }

    private record Minted(String token, Instant issuedAt) {
    }
}
