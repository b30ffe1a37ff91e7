package ai.loopgpt.dr.notification.channel;

import ai.loopgpt.dr.notification.template.TemplateRenderer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A rendered template as a Slack Block Kit message: a header with the subject, the text part as
 * mrkdwn sections, a context line saying where it came from, and {@code text} as the notification
 * fallback. Slack's limits are kept: header 150 characters, section 3,000, at most 50 blocks.
 */
public final class SlackMessage {

    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int BLOCKS_MAX = 50;

    private SlackMessage() {
    }

    public static ObjectNode of(ObjectMapper json, TemplateRenderer.Rendered message, String context) {
        ObjectNode root = json.createObjectNode();
        root.put("text", message.subject());
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(message.subject(), HEADER_MAX)).put("emoji", true);
        List<String> sections = sections(escape(message.text().strip()));
        for (String section : sections.subList(0, Math.min(sections.size(), BLOCKS_MAX - 2))) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", section);
        }
        if (context != null) {
            blocks.addObject().put("type", "context").putArray("elements").addObject()
                    .put("type", "mrkdwn").put("text", escape(context));
        }
        return root;
    }

    /** Paragraphs packed into sections of at most {@link #SECTION_MAX} characters. */
    static List<String> sections(String text) {
        List<String> sections = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            while (p.length() > SECTION_MAX) {
                flush(sections, current);
                sections.add(p.substring(0, SECTION_MAX));
                p = p.substring(SECTION_MAX);
            }
            if (current.length() + p.length() + 2 > SECTION_MAX) {
                flush(sections, current);
            }
            if (current.length() > 0) {
                current.append("\n\n");
            }
            current.append(p);
        }
        flush(sections, current);
        return sections;
    }

    private static void flush(List<String> sections, StringBuilder current) {
        if (current.length() > 0) {
            sections.add(current.toString());
            current.setLength(0);
        }
    }

    /** Slack's mrkdwn control characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
