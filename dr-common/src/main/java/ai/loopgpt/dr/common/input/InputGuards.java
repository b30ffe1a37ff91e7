package ai.loopgpt.dr.common.input;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemMappers;
import ai.loopgpt.dr.common.problem.ProblemType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bad input refused once for every endpoint, before any resource runs: a NUL or other C0 control
 * character (but tab, CR, LF) in the path or a query parameter (PostgreSQL refuses NUL, and a failed
 * write would lose its audit record too), and paging that overflows ({@code page × size}).
 */
public class InputGuards {

    /** The deepest page a list may be asked for: page × size beyond this is refused. */
    static final long MAX_OFFSET = 10_000_000L;

    @ServerRequestFilter(preMatching = true, priority = 2)
    public Response guard(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(true);
        if (hasAnyControl(path)) {
            return refuse(request, "The path holds a control character; remove it.");
        }
        if (path.indexOf('\uFFFD') >= 0) {
            return refuse(request, "The path is not valid UTF-8 once decoded; send it percent-encoded UTF-8.");
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            // No line break or tab either: a filter is one line, and it ends up in logs and audit queries.
            if (hasAnyControl(e.getKey()) || e.getValue().stream().anyMatch(InputGuards::hasAnyControl)) {
                return refuse(request, "Query parameter '" + ProblemException.shorten(e.getKey())
                        + "' holds a control character (line breaks and tabs included); remove it.");
            }
            if (e.getKey().indexOf('\uFFFD') >= 0 || e.getValue().stream().anyMatch(v -> v.indexOf('\uFFFD') >= 0)) {
                return refuse(request, "Query parameter '" + ProblemException.shorten(e.getKey())
                        + "' is not valid UTF-8 once decoded; send it percent-encoded UTF-8.");
            }
        }
        String contentType = request.getHeaderString("Content-Type");
        if (contentType != null && contentType.indexOf(',') >= 0) {
            return ProblemMappers.respond(request, ProblemType.UNSUPPORTED_MEDIA_TYPE, 415,
                    "Content-Type names one media type (application/json), not a list.", null);
        }
        String page = query.getFirst("page");
        String size = query.getFirst("size");
        if (page != null && page.matches("\\d{1,18}")) {
            long offset = Long.parseLong(page) * (size != null && size.matches("\\d{1,9}") ? Long.parseLong(size) : 50);
            if (offset > MAX_OFFSET) {
                return refuse(request, "page × size must stay within " + MAX_OFFSET + " items; ask for an earlier page "
                        + "or narrow the filters.");
            }
        }
        return null;
    }

    /** Whether {@code value} holds any control character, tab, CR and LF included. */
    public static boolean hasAnyControl(String value) {
        return control(value, true);
    }

    /** Whether {@code value} holds NUL or another control character other than tab, CR and LF. */
    public static boolean hasControl(String value) {
        return control(value, false);
    }

    private static boolean control(String value, boolean lineBreaksToo) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0x7f || (c < 0x20 && (lineBreaksToo || (c != '\t' && c != '\n' && c != '\r')))) {
                return true;
            }
        }
        return false;
    }

    private static Response refuse(ContainerRequestContext request, String detail) {
        return ProblemMappers.respond(request, ProblemType.forStatus(400), 400, detail, null);
    }
}
