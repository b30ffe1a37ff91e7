package ai.loopgpt.dr.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Receives Slack incoming-webhook posts, {@code POST /slack/<channel>} with a JSON body, and keeps
 * each in the {@link InboxFolder}. Answers as Slack does: 200 {@code ok}; 400 {@code no_text} for
 * a message with neither {@code text} nor {@code blocks} (which is how a webhook is checked without
 * posting anything: drctl doctor sends {@code {}}); 400 {@code invalid_payload} for what is not a
 * JSON object; 404 {@code no_service} for a path that names no channel.
 */
final class SlackSink implements HttpHandler {

    static final String PATH = "/slack/";
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final InboxFolder inbox;

    SlackSink(InboxFolder inbox) {
        this.inbox = inbox;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String channel = exchange.getRequestURI().getPath().substring(PATH.length());
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, "invalid_method");
                return;
            }
            if (!InboxFolder.CHANNEL.matcher(channel).matches()) {
                answer(exchange, 404, "no_service");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                answer(exchange, 413, "request_too_large");
                return;
            }
            Object message;
            try {
                message = JsonReader.parse(new String(body, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                answer(exchange, 400, "invalid_payload");
                return;
            }
            if (!(message instanceof Map<?, ?> fields)) {
                answer(exchange, 400, "invalid_payload");
                return;
            }
            if (!hasText(fields)) {
                answer(exchange, 400, "no_text");
                return;
            }
            inbox.storeSlack(channel, body);
            answer(exchange, 200, "ok");
        } finally {
            exchange.close();
        }
    }

    /** Slack posts a message only if it has some text or some blocks. */
    static boolean hasText(Map<?, ?> message) {
        return message.get("text") instanceof String text && !text.isBlank()
                || message.get("blocks") instanceof List<?> blocks && !blocks.isEmpty();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
