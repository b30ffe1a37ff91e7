package ai.loopgpt.dr.common.web;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every HTML page a resource answers with (subscribe, confirm and unsubscribe pages, their errors)
 * runs no script, loads nothing from elsewhere, is never framed, never leaks its URL (which may hold
 * a token) as a referrer, and is never kept by a cache. A page that sets its own policy keeps it.
 */
public class HtmlPageHeaders {

    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @ServerResponseFilter
    public void secure(ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (type == null || !"text".equals(type.getType()) || !"html".equals(type.getSubtype())) {
            return;
        }
        var headers = response.getHeaders();
        headers.putIfAbsent("Content-Security-Policy", java.util.List.of(POLICY));
        headers.putIfAbsent("Referrer-Policy", java.util.List.of("no-referrer"));
        headers.putIfAbsent("Cache-Control", java.util.List.of("no-store"));
    }
}
