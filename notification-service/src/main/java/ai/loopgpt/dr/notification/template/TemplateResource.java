package ai.loopgpt.dr.notification.template;

import ai.loopgpt.dr.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The message templates: what they need, and how a message would look, without sending it. */
@Path("/api/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Templates", description = "The message templates and their previews")
public class TemplateResource {

    private final TemplateRenderer renderer;

    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public TemplateResource(TemplateRenderer renderer, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.renderer = renderer;
        this.json = json;
    }

    /** A template rendered for every channel: email parts and the Slack Block Kit message. */
    public record Rendering(String subject, String text, String html, com.fasterxml.jackson.databind.JsonNode slack) {
    }

    /** The variables to render with. */
    public record Preview(Map<String, Object> variables) {
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listTemplates", summary = "Lists the templates and the variables each needs")
    public List<MailTemplate> list() {
        return MailTemplate.ALL;
    }

    @POST
    @Path("/{name}/preview")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "previewTemplate",
            summary = "Renders a template (subject, text and HTML parts, Slack blocks) without sending it")
    public Rendering preview(@PathParam("name") String name, @Valid Preview body) {
        TemplateRenderer.Rendered r = renderer.render(name, body == null ? Map.of() : body.variables());
        return new Rendering(r.subject(), r.text(), r.html(),
                ai.loopgpt.dr.notification.channel.SlackMessage.of(json, r, "LoopGPT DR · " + name + " · preview"));
    }
}
