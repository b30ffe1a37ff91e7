package ai.loopgpt.dr.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local inbox: a small web server on loopback showing every mail and Slack message the suite
 * sent, newest first ({@code /}), each mail on its own page ({@code /mail/<file>}: the HTML part in
 * a sandboxed frame, the text part as text) and as stored ({@code /raw/<file>}); it also receives
 * the Slack posts ({@code POST /slack/<channel>}, see {@link SlackSink}).
 *
 * <p>Mail content is never trusted: every value is escaped, the HTML part is shown only through an
 * escaped {@code srcdoc} in an {@code <iframe sandbox>} (no scripts, no forms, its own origin), and
 * every page carries a Content-Security-Policy that loads nothing from anywhere.
 */
public final class Inbox implements AutoCloseable {

    /** At most this many messages on the list page, the newest. */
    static final int LISTED = 300;
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse;width:100%}
            td,th{text-align:left;vertical-align:top;padding:.35em .6em;border-bottom:1px solid #ddd}
            th{background:#f4f4f4}
            .kind{font-weight:600}.mail{color:#0a5}.slack{color:#75f}
            .lines{color:#555;white-space:pre-line}
            pre{background:#f7f7f7;padding:1em;white-space:pre-wrap;word-break:break-word}
            iframe{width:100%;height:70vh;border:1px solid #ccc;background:#fff}
            """;

    private final InboxFolder folder;
    private final HttpServer server;
    private final ExecutorService threads;

    private Inbox(InboxFolder folder, HttpServer server, ExecutorService threads) {
        this.folder = folder;
        this.server = server;
        this.threads = threads;
    }

    /** Starts the inbox and Slack receiver on 127.0.0.1:{@code port} (0: any free port). */
    public static Inbox start(InboxFolder folder, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not listen for HTTP on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "inbox-http");
            thread.setDaemon(true);
            return thread;
        });
        Inbox inbox = new Inbox(folder, server, threads);
        server.setExecutor(threads);
        server.createContext(SlackSink.PATH, new SlackSink(folder));
        server.createContext("/", inbox::handle);
        server.start();
        return inbox;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The list page, for a person. */
    public String url() {
        return "http://localhost:" + port() + "/";
    }

    /** Where a Slack incoming webhook for {@code channel} posts. */
    public String slackWebhook(String channel) {
        return "http://127.0.0.1:" + port() + SlackSink.PATH + channel;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "Method not allowed\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/")) {
                send(exchange, 200, "text/html", list());
            } else if (path.startsWith("/mail/")) {
                Optional<InboxFolder.Entry> mail = folder.find(path.substring("/mail/".length()))
                        .filter(e -> e.kind() == InboxFolder.Kind.MAIL);
                if (mail.isPresent()) {
                    send(exchange, 200, "text/html", mailPage(mail.get()));
                } else {
                    send(exchange, 404, "text/plain", "No such mail\n");
                }
            } else if (path.startsWith("/raw/")) {
                Optional<InboxFolder.Entry> entry = folder.find(path.substring("/raw/".length()));
                if (entry.isPresent()) {
                    send(exchange, 200, "text/plain", Files.readAllBytes(entry.get().file()));
                } else {
                    send(exchange, 404, "text/plain", "No such message\n");
                }
            } else {
                send(exchange, 404, "text/plain", "Not found\n");
            }
        } catch (IOException | RuntimeException e) {
            send(exchange, 500, "text/plain", "Could not read the inbox: " + e.getMessage() + "\n");
        } finally {
            exchange.close();
        }
    }

    private String list() throws IOException {
        List<InboxFolder.Entry> entries = folder.newestFirst();
        StringBuilder rows = new StringBuilder();
        for (InboxFolder.Entry entry : entries.subList(0, Math.min(LISTED, entries.size()))) {
            rows.append("<tr><td>").append(SHOWN.format(entry.received())).append("</td>");
            if (entry.kind() == InboxFolder.Kind.MAIL) {
                ReceivedMail mail = ReceivedMail.parse(Files.readAllBytes(entry.file()));
                String subject = Optional.ofNullable(mail.header("Subject")).orElse("(no subject)");
                rows.append("<td class=\"kind mail\">mail</td><td>").append(escape(mail.header("From")))
                        .append("</td><td>").append(escape(mail.header("To")))
                        .append("</td><td><a href=\"/mail/").append(escape(entry.name())).append("\">")
                        .append(escape(subject)).append("</a><div class=\"lines\">")
                        .append(escape(firstLines(mail.text().orElseGet(() -> textOf(mail.html().orElse(""))))))
                        .append("</div></td></tr>\n");
            } else {
                rows.append("<td class=\"kind slack\">slack</td><td></td><td>#").append(escape(entry.channel()))
                        .append("</td><td><a href=\"/raw/").append(escape(entry.name())).append("\">")
                        .append(escape(firstLines(slackText(Files.readString(entry.file()))))).append("</a></td></tr>\n");
            }
        }
        String more = entries.size() > LISTED
                ? "<p>" + (entries.size() - LISTED) + " older messages are not listed; they are in "
                        + escape(folder.mailFolder().toString()) + " and " + escape(folder.slackFolder().toString()) + ".</p>"
                : "";
        String table = entries.isEmpty()
                ? "<p>Nothing yet: every mail and Slack message the suite sends shows up here.</p>"
                : "<table><tr><th>received</th><th>kind</th><th>from</th><th>to</th><th>subject / message</th></tr>\n"
                        + rows + "</table>" + more;
        return page("Inbox", "<meta http-equiv=\"refresh\" content=\"10\">",
                "<h1>Messages the suite sent</h1><p>Mail in " + escape(folder.mailFolder().toString())
                        + ", Slack in " + escape(folder.slackFolder().toString()) + "; newest first.</p>" + table);
    }

    private String mailPage(InboxFolder.Entry entry) throws IOException {
        ReceivedMail mail = ReceivedMail.parse(Files.readAllBytes(entry.file()));
        String subject = Optional.ofNullable(mail.header("Subject")).orElse("(no subject)");
        StringBuilder body = new StringBuilder("<p><a href=\"/\">&larr; all messages</a> &middot; <a href=\"/raw/")
                .append(escape(entry.name())).append("\">as received</a></p><h1>").append(escape(subject)).append("</h1><table>");
        for (String name : List.of("From", "To", "Cc", "Reply-To", "Date")) {
            String value = mail.header(name);
            if (value != null) {
                body.append("<tr><th>").append(name).append("</th><td>").append(escape(value)).append("</td></tr>");
            }
        }
        body.append("<tr><th>Received</th><td>").append(SHOWN.format(entry.received())).append("</td></tr></table>");
        StringBuilder all = new StringBuilder();
        mail.headers().forEach(h -> all.append(h.name()).append(": ").append(h.value()).append('\n'));
        body.append("<details><summary>All headers</summary><pre>").append(escape(all.toString())).append("</pre></details>");
        mail.html().ifPresent(html -> body.append("<h2>HTML part</h2><iframe sandbox title=\"HTML part\" srcdoc=\"")
                .append(escape(html)).append("\"></iframe>"));
        mail.text().ifPresent(text -> body.append("<h2>Text part</h2><pre>").append(escape(text)).append("</pre>"));
        if (mail.html().isEmpty() && mail.text().isEmpty()) {
            body.append("<p>No text or HTML part: see the message as received.</p>");
        }
        return page(subject, "", body.toString());
    }

    private static String page(String title, String head, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + " - LoopGPT DR local inbox</title>" + head + "<style>" + STYLE + "</style></head><body>" + body
                + "</body></html>\n";
    }

    /** The text a Slack post shows: its {@code text}, then its first section. */
    static String slackText(String json) {
        try {
            if (!(JsonReader.parse(json) instanceof Map<?, ?> message)) {
                return json;
            }
            StringBuilder text = new StringBuilder();
            if (message.get("text") instanceof String fallback) {
                text.append(fallback).append('\n');
            }
            if (message.get("blocks") instanceof List<?> blocks) {
                for (Object block : blocks) {
                    if (block instanceof Map<?, ?> b && "section".equals(b.get("type"))
                            && b.get("text") instanceof Map<?, ?> t && t.get("text") instanceof String section) {
                        text.append(section);
                        break;
                    }
                }
            }
            return text.toString();
        } catch (IllegalArgumentException e) {
            return json;
        }
    }

    /** The first three lines that are not blank, each cut to 160 characters. */
    static String firstLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank() && lines.size() < 3) {
                String shown = line.strip();
                lines.add(shown.length() > 160 ? shown.substring(0, 159) + "\u2026" : shown);
            }
        }
        return String.join("\n", lines);
    }

    /** An HTML part's text, roughly: for a summary line of a mail that has no text part. */
    private static String textOf(String html) {
        return html.replaceAll("(?is)<(script|style)\\b.*?</\\1>", " ").replaceAll("(?s)<[^>]*>", " ")
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&amp;", "&");
    }

    /** Text made safe for HTML content and double- or single-quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type + "; charset=utf-8");
        headers.set("Content-Security-Policy", POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
