package ai.loopgpt.dr.common.request;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, a new one otherwise.
 * The id is put in the log context (so every log line of the request carries it), echoed in the
 * response header, written to problem details and to the audit log.
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final String PROPERTY = RequestIds.class.getName();
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @ServerRequestFilter(preMatching = true, priority = 1)
    public void assign(ContainerRequestContext request) {
        String given = request.getHeaderString(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setProperty(PROPERTY, id);
        MDC.put(MDC_KEY, id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        String id = of(request);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
    }

    /** The id of {@code request}, or {@code null} if it was never assigned one. */
    public static String of(ContainerRequestContext request) {
        return request == null ? null : (String) request.getProperty(PROPERTY);
    }
}
