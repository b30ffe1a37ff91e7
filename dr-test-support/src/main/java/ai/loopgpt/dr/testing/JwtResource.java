package ai.loopgpt.dr.testing;

import ai.loopgpt.dr.embedded.LocalTokenIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Points the service's JWT verification at a local issuer whose tokens {@link Tokens} mints. */
public class JwtResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path key = Tokens.issuer().writePublicKey(
                    Files.createTempDirectory("jwt").resolve("issuer-public.pem"));
            return Map.of(
                    "mp.jwt.verify.publickey.location", key.toUri().toString(),
                    "mp.jwt.verify.issuer", Tokens.issuer().issuer());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }

    /** A second issuer, which no service trusts (one per test JVM: its key pair is costly to make). */
    static LocalTokenIssuer untrusted() {
        return Untrusted.ISSUER;
    }

    private static final class Untrusted {
        static final LocalTokenIssuer ISSUER = LocalTokenIssuer.generate();
    }
}
