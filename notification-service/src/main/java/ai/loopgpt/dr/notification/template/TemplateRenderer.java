package ai.loopgpt.dr.notification.template;

import ai.loopgpt.dr.common.problem.Problem.FieldError;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a template with its variables: subject, text part and HTML part (HTML-escaped). A
 * missing variable is refused, naming it, so that no message ever goes out with a hole in it.
 */
@ApplicationScoped
public class TemplateRenderer {

    private final Engine engine;
    private final Map<String, Template> subjects = new ConcurrentHashMap<>();

    public TemplateRenderer(Engine engine) {
        this.engine = engine;
    }

    /** A rendered message. */
    public record Rendered(String subject, String text, String html) {
    }

    public Optional<MailTemplate> find(String name) {
        return MailTemplate.ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public MailTemplate require(String name) {
        return find(name).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No template named '" + name
                + "'. Templates: " + String.join(", ", MailTemplate.ALL.stream().map(MailTemplate::name).toList()) + "."));
    }

    public Rendered render(String name, Map<String, ?> variables) {
        MailTemplate template = require(name);
        List<String> missing = template.variables().stream()
                .filter(v -> variables == null || variables.get(v) == null || variables.get(v).toString().isBlank())
                .toList();
        if (!missing.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "Template '" + name + "' needs "
                    + (missing.size() == 1 ? "variable '" + missing.get(0) + "'" : "variables " + missing)
                    + ", which " + (missing.size() == 1 ? "is" : "are") + " missing or empty.",
                    missing.stream().map(v -> new FieldError("variables." + v, "missing")).toList());
        }
        Object link = variables.get("link");
        if (link != null && !link.toString().strip().matches("(?i)https?://[^\\s\"'<>]+")) {
            // Rendered into <a href>: a javascript: or data: URL there would run in the reader's mail client.
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "Variable 'link' must be an http(s) URL.",
                    List.of(new FieldError("variables.link", "must be an http(s) URL")));
        }
        Template subject = subjects.computeIfAbsent(name, n -> engine.parse(template.subject()));
        return new Rendered(
                subject.data(variables).render().replaceAll("[\\r\\n]+", " ").strip(),
                engine.getTemplate("mail/" + name + ".txt").data(variables).render(),
                engine.getTemplate("mail/" + name + ".html").data(variables).render());
    }
}
