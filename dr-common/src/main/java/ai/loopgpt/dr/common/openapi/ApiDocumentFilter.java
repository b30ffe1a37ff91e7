package ai.loopgpt.dr.common.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What every service's OpenAPI document shares, added at build time (the served document is then
 * static: nothing runs per request, nothing needs reflection in a native image):
 * <ul>
 * <li>{@code servers}: the service in the cluster, as the Helm chart names it
 * ({@code http://<release>-<service>:<port>}); the description gives {@code ./run.sh}'s URL;</li>
 * <li>the bearer token required globally, and {@code security: []} on the operations anyone may call;</li>
 * <li>the {@code Problem} (RFC 9457) every error answers, declared on every operation: 400, 401 and 403
 * where a token is needed, 404 where the path names something, any other 4xx, and 5xx;</li>
 * <li>tags, paths and schemas in alphabetical order, so that the document kept in {@code docs/api/}
 * changes only where the API does.</li>
 * </ul>
 * The service's name and port come from {@code quarkus.application.name} and {@code quarkus.http.port}.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {

    /** The name of the security scheme (see {@code quarkus.smallrye-openapi.security-scheme-name}). */
    static final String SCHEME = "bearerJwt";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String RESPONSES = "#/components/responses/";

    /** The problem responses: name, description. */
    private static final Map<String, String> PROBLEMS = Map.of(
            "BadRequest", "The request is not valid (malformed JSON, a value out of range, an unknown field, a "
                    + "control character); `errors` names the fields at fault",
            "Unauthorized", "No token, or a token that is expired, not yet valid or from another issuer",
            "Forbidden", "The token's roles do not allow this operation",
            "NotFound", "Nothing with this id or name",
            "ClientError", "Another refusal: 409 (the state forbids it now), 413 (body too large), 414/431 (URI or "
                    + "headers too long), 415 (not JSON), 429 (too many requests)",
            "ServerError", "The service or a peer it needs failed (503 while its database cannot be reached)");

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Config config = ConfigProvider.getConfig();
        String service = config.getValue("quarkus.application.name", String.class);
        int port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        // One server: the in-cluster URL. (Lint refuses localhost; ./run.sh's URL is in the description.)
        api.setServers(List.of(OASFactory.createServer().url("http://{release}-" + service + ":" + port)
                .description("In the cluster: the Service the Helm chart creates, in the release's namespace. "
                        + "Started by ./run.sh on this machine: http://localhost:" + port + " (plus --port-offset)")
                .variables(Map.of("release", OASFactory.createServerVariable().defaultValue("dr")
                        .description("The Helm release's name (helm install <release> helm/loopgpt-dr)")))));
        api.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME)));

        Components components = api.getComponents() == null ? OASFactory.createComponents() : api.getComponents();
        api.setComponents(components);
        components.addSchema("Problem", problemSchema());
        components.addSchema("FieldError", OASFactory.createSchema().type(List.of(SchemaType.OBJECT))
                .description("One invalid field of a request")
                .addProperty("field", string("Where it is, e.g. body.target"))
                .addProperty("message", string("What is wrong with it")));
        PROBLEMS.forEach((name, description) -> components.addResponse(name, OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent().addMediaType(PROBLEM_JSON, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("Problem"))))));
        if (api.getPaths() != null) {
            boolean pages = false;
            for (Map.Entry<String, PathItem> path : api.getPaths().getPathItems().entrySet()) {
                for (Operation operation : path.getValue().getOperations().values()) {
                    pages |= declareProblems(path.getKey(), operation);
                }
            }
            if (pages) {
                components.addResponse("HtmlError", OASFactory.createAPIResponse()
                        .description("A page for the person who followed the link, saying what went wrong")
                        .content(OASFactory.createContent().addMediaType("text/html", OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().type(List.of(SchemaType.STRING))))));
            }
            api.getPaths().setPathItems(new TreeMap<>(api.getPaths().getPathItems()));
        }
        if (api.getTags() != null) {
            List<org.eclipse.microprofile.openapi.models.tags.Tag> tags = new ArrayList<>(api.getTags());
            tags.sort(Comparator.comparing(org.eclipse.microprofile.openapi.models.tags.Tag::getName));
            api.setTags(tags);
        }
        if (components.getSchemas() != null) {
            components.setSchemas(new TreeMap<>(components.getSchemas()));
        }
        if (components.getResponses() != null) {
            components.setResponses(new TreeMap<>(components.getResponses()));
        }
    }

    /**
     * An operation without a security requirement is public: it says so ({@code security: []}); one
     * with a requirement keeps it, naming the roles it accepts. Then its problem responses (HTML for
     * a page). Says whether the operation is a page.
     */
    private static boolean declareProblems(String path, Operation operation) {
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (!secured) {
            operation.setSecurity(new ArrayList<>());
        }
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                : operation.getResponses();
        operation.setResponses(responses);
        boolean page = responses.getAPIResponses() != null && responses.getAPIResponses().values().stream()
                .filter(r -> r.getContent() != null && r.getContent().getMediaTypes() != null)
                .flatMap(r -> r.getContent().getMediaTypes().keySet().stream())
                .anyMatch(type -> type.startsWith("text/html"));
        if (page) {
            responses.addAPIResponse("4XX", ref("HtmlError"));
        } else {
            responses.addAPIResponse("400", ref("BadRequest"));
            if (secured) {
                responses.addAPIResponse("401", ref("Unauthorized"));
                responses.addAPIResponse("403", ref("Forbidden"));
            }
            if (path.contains("{")) {
                responses.addAPIResponse("404", ref("NotFound"));
            }
            responses.addAPIResponse("4XX", ref("ClientError"));
        }
        responses.addAPIResponse("5XX", ref("ServerError"));
        responses.setAPIResponses(new TreeMap<>(responses.getAPIResponses()));
        return page;
    }

    private static APIResponse ref(String name) {
        return OASFactory.createAPIResponse().ref(RESPONSES + name);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(SchemaType.STRING)).description(description);
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema().type(List.of(SchemaType.OBJECT))
                .description("An RFC 9457 problem detail: the body of every error the service answers")
                .required(List.of("type", "title", "status", "detail"))
                .addProperty("type", string("A stable URI naming the kind of problem, e.g. "
                        + "https://status.loopgpt.ai/problems/not-found").format("uri"))
                .addProperty("title", string("A short summary of the problem type"))
                .addProperty("status", OASFactory.createSchema().type(List.of(SchemaType.INTEGER)).format("int32")
                        .description("The HTTP status code"))
                .addProperty("detail", string("What went wrong in this occurrence, written for a human to act on"))
                .addProperty("instance", string("The request path"))
                .addProperty("requestId", string("The request id, also in the logs and the X-Request-Id header"))
                .addProperty("errors", OASFactory.createSchema().type(List.of(SchemaType.ARRAY))
                        .description("The fields at fault, when a validation failed")
                        .items(OASFactory.createSchema().ref("FieldError")));
    }
}
