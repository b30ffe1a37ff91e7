package ai.loopgpt.dr.common.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, as the audit log and the records of a service name them. */
public final class Callers {

    public static final String ANONYMOUS = "anonymous";

    private Callers() {
    }

    /** The token's subject ({@code sub}), else the principal's name, else {@value #ANONYMOUS}. */
    public static String subject(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        Principal principal = identity.getPrincipal();
        if (principal instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return principal.getName();
    }
}
