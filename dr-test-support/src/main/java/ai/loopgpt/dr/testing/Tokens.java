package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.LocalTokenIssuer;
import java.time.Duration;
import java.util.List;

/** Bearer tokens from the test issuer that {@link JwtResource} makes services trust. */
public final class Tokens {

    private static final LocalTokenIssuer ISSUER = LocalTokenIssuer.generate();

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

    /** A token for {@code subject} with {@code roles}, valid for an hour. */
    public static String as(String subject, String... roles) {
        return ISSUER.token(subject, List.of(roles), Duration.ofHours(1));
    }

    /** A token of the trusted issuer whose issue time is {@code issuedAt} (valid for an hour from then). */
    public static String issuedAt(java.time.Instant issuedAt, String subject, String... roles) {
        return ISSUER.token(subject, List.of(roles), Duration.ofHours(1), issuedAt);
    }

    /** A well-formed token signed by an issuer the service does not trust. */
    public static String forged(String subject, String... roles) {
        return JwtResource.untrusted().token(subject, List.of(roles), Duration.ofHours(1));
    }
}
