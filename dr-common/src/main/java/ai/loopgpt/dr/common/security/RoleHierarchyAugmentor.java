package ai.loopgpt.dr.common.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Gives every authenticated identity the roles its suite roles imply (admin ⊃ operator ⊃ viewer). */
@ApplicationScoped
public class RoleHierarchyAugmentor implements SecurityIdentityAugmentor {

    /** How far in the future a token's issue time may be (the issuer's clock running ahead). */
    static final long ISSUED_AT_SKEW_SECONDS = 60;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getIssuedAtTime() > 0
                && jwt.getIssuedAtTime() > Instant.now().getEpochSecond() + ISSUED_AT_SKEW_SECONDS) {
            // A token "issued" in the future was minted with a wrong clock or on purpose to outlive its lifetime.
            return Uni.createFrom().failure(new AuthenticationFailedException("token issued in the future"));
        }
        Set<String> implied = Roles.implied(identity.getRoles());
        if (implied.size() == identity.getRoles().size()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(implied).build());
    }
}
