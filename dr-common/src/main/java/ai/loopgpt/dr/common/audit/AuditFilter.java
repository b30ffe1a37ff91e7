package ai.loopgpt.dr.common.audit;

import ai.loopgpt.dr.common.request.RequestIds;
import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;

/**
 * Writes an audit record for every mutating call (POST, PUT, PATCH, DELETE), refused ones included,
 * before the response leaves: a caller that got its answer can find its record.
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditLog auditLog;
    private final CurrentIdentityAssociation identities;

    public AuditFilter(AuditLog auditLog, CurrentIdentityAssociation identities) {
        this.auditLog = auditLog;
        this.identities = identities;
    }

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response) {
        if (!MUTATING.contains(request.getMethod())) {
            return Uni.createFrom().voidItem();
        }
        String path = "/" + request.getUriInfo().getPath(true).replaceFirst("^/", "");
        String action = request.getMethod() + " " + route(CurrentRequestManager.get(), path);
        int status = response.getStatus();
        String requestId = RequestIds.of(request);
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(identity -> auditLog.record(Callers.subject(identity), role(identity), action, path, status, requestId))
                .onFailure().invoke(e -> LOG.errorf("Could not write the audit record of %s %s (status %d, request %s): %s",
                        action, path, status, requestId, e.getMessage()))
                // The answer still goes out (a 503 when the database is down); the log line keeps the record.
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** The route template that matched ({@code /api/v1/backups/{id}}), or the path if none did. */
    private static String route(ResteasyReactiveRequestContext rr, String path) {
        if (rr != null && rr.getTarget() != null) {
            String classPath = rr.getTarget().getClassPath() == null ? "" : rr.getTarget().getClassPath().template;
            String methodPath = rr.getTarget().getPath() == null ? "" : rr.getTarget().getPath().template;
            String template = (classPath + "/" + methodPath).replaceAll("/+", "/");
            if (template.length() > 1 && template.endsWith("/")) {
                template = template.substring(0, template.length() - 1);
            }
            return template;
        }
        return path;
    }


    private static String role(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous() ? "none" : Roles.highest(identity.getRoles());
    }
}
