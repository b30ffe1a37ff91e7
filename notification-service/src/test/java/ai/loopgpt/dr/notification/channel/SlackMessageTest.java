package ai.loopgpt.dr.notification.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.loopgpt.dr.notification.template.TemplateRenderer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

    @Test
    void longTextsStayWithinSlacksLimitsAndControlCharactersAreEscaped() {
        StringBuilder text = new StringBuilder("Orders <b>&</b> payments are down.\n\n");
        for (int i = 0; i < 400; i++) {
            text.append("Paragraph ").append(i).append(": ").append("x".repeat(i % 7 == 0 ? 3500 : 200)).append("\n\n");
        }
        JsonNode message = SlackMessage.of(new ObjectMapper(),
                new TemplateRenderer.Rendered("S".repeat(300), text.toString(), "<p>html</p>"), "context");
        JsonNode blocks = message.get("blocks");
        assertTrue(blocks.size() <= 50, "blocks: " + blocks.size());
        assertEquals(150, blocks.get(0).get("text").get("text").asText().length());
        for (JsonNode block : blocks) {
            if (block.get("type").asText().equals("section")) {
                assertTrue(block.get("text").get("text").asText().length() <= 3000);
            }
        }
        assertTrue(blocks.get(1).get("text").get("text").asText().startsWith("Orders &lt;b&gt;&amp;&lt;/b&gt; payments"));
        assertEquals("context", blocks.get(blocks.size() - 1).get("type").asText());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertEquals(Duration.ofSeconds(2), HttpPoster.retryAfter("2"));
        Duration date = HttpPoster.retryAfter(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30)
                .format(DateTimeFormatter.RFC_1123_DATE_TIME));
        assertTrue(date.toSeconds() >= 28 && date.toSeconds() <= 30, date.toString());
        assertNull(HttpPoster.retryAfter("soon"));
        assertNull(HttpPoster.retryAfter(null));
    }
}
