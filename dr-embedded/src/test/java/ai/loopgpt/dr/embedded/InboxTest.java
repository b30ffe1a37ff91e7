package ai.loopgpt.dr.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local inbox as the suite and a person use it: mail over SMTP, Slack posts over HTTP, the pages. */
class InboxTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A mail as Quarkus Mailer sends one: text and HTML alternatives, the subject as an encoded word. */
    private static final String MAIL = String.join("\r\n",
            "From: LoopGPT <status@loopgpt.ai>",
            "To: ops@loopgpt.ai",
            "Subject: =?UTF-8?Q?<b>Orders</b>_&_caf=C3=A9?=",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative;",
            "\tboundary=\"----=_Part_1\"",
            "",
            "------=_Part_1",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Orders are down <for now>, caf=C3=A9 closed. This line is long enough to be=",
            " wrapped.",
            ".a line that starts with a dot",
            "------=_Part_1",
            "Content-Type: text/html; charset=\"utf-8\"",
            "Content-Transfer-Encoding: base64",
            "",
            java.util.Base64.getMimeEncoder().encodeToString(
                    "<p>Orders \"down\" <script>alert(1)</script> café</p>".getBytes(StandardCharsets.UTF_8)),
            "------=_Part_1--",
            "");

    @TempDir
    Path data;
    private InboxFolder folder;
    private MailSink smtp;
    private Inbox inbox;

    @BeforeEach
    void start() {
        folder = InboxFolder.in(data, Clock.fixed(Instant.parse("2026-12-06T07:12:00.123Z"), ZoneOffset.UTC));
        smtp = MailSink.start(folder, 0);
        inbox = Inbox.start(folder, 0);
    }

    @AfterEach
    void stop() {
        smtp.close();
        inbox.close();
    }

    @Test
    void aMailSentOverSmtpIsStoredListedAndShownEscaped() throws Exception {
        try (Smtp session = new Smtp(smtp.port())) {
            session.expect("220");
            session.send("EHLO client.example", "250-localhost");
            assertTrue(session.lastReply().contains("250-8BITMIME"), session.lastReply());
            session.send("MAIL FROM:<status@loopgpt.ai> BODY=8BITMIME", "250");
            session.send("RCPT TO:<ops@loopgpt.ai>", "250");
            session.send("DATA", "354");
            session.send(MAIL.replace("\r\n.a line", "\r\n..a line") + ".", "250");
            session.send("QUIT", "221");
        }

        List<Path> mails = files(data.resolve("mail"));
        assertEquals(1, mails.size(), mails.toString());
        assertTrue(mails.get(0).getFileName().toString().matches("20261206T071200\\.123Z-[0-9a-f]{6}\\.eml"), mails.toString());
        assertArrayEquals(MAIL.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(mails.get(0)), "dot-unstuffed, CRLF");

        HttpResponse<String> list = get("/");
        assertEquals(200, list.statusCode());
        assertTrue(list.body().contains("&lt;b&gt;Orders&lt;/b&gt; &amp; café"), list.body());
        assertFalse(list.body().contains("<b>Orders"), list.body());
        assertTrue(list.body().contains("Orders are down &lt;for now&gt;, café closed."), list.body());
        assertTrue(list.body().contains("ops@loopgpt.ai"), list.body());

        HttpResponse<String> page = get("/mail/" + mails.get(0).getFileName());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"));
        assertTrue(page.body().contains("<iframe sandbox title=\"HTML part\" srcdoc=\"&lt;p&gt;Orders &quot;down&quot; "
                + "&lt;script&gt;alert(1)&lt;/script&gt; café&lt;/p&gt;\">"), page.body());
        assertFalse(page.body().contains("<script"), page.body());
        assertTrue(page.body().contains("<pre>Orders are down &lt;for now&gt;, café closed. This line is long enough "
                + "to be wrapped.\n.a line that starts with a dot</pre>"), page.body());

        HttpResponse<String> raw = get("/raw/" + mails.get(0).getFileName());
        assertEquals("text/plain; charset=utf-8", raw.headers().firstValue("Content-Type").orElse(""));
        assertEquals(MAIL, raw.body());
    }

    @Test
    void commandsOutOfOrderAreRefusedAndTheSessionGoesOn() throws Exception {
        try (Smtp session = new Smtp(smtp.port())) {
            session.expect("220");
            session.send("MAIL FROM:<a@example.com>", "503");
            session.send("HELO client.example", "250");
            session.send("RCPT TO:<b@example.com>", "503");
            session.send("MAIL FROM:<a@example.com>", "250");
            session.send("DATA", "503");
            session.send("RCPT TO:<b@example.com>", "250");
            session.send("RSET", "250");
            session.send("DATA", "503");
            session.send("NOOP", "250");
            session.send("STARTTLS", "500");
            session.send("MAIL FROM:<> SIZE=" + (MailSink.MAX_MESSAGE_BYTES + 1), "552");
            session.send("MAIL FROM:<>", "250");
            session.send("RCPT TO:<b@example.com>", "250");
            session.send("DATA", "354");
            session.send("Subject: second\r\n\r\nbody\r\n.", "250");
            session.send("QUIT", "221");
        }
        assertEquals(1, files(data.resolve("mail")).size());
    }

    @Test
    void slackPostsAreStoredAndAnsweredAsSlackDoes() throws Exception {
        String message = "{\"text\":\"Incident <declared>\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\","
                + "\"text\":\"Incident\"}},{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Orders* down\"}}]}";
        HttpResponse<String> posted = post("/slack/incidents", message);
        assertEquals(200, posted.statusCode());
        assertEquals("ok", posted.body());

        List<Path> posts = files(data.resolve("slack"));
        assertEquals(List.of("20261206T071200.123Z-incidents.json"), posts.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(message, Files.readString(posts.get(0)));
        String list = get("/").body();
        assertTrue(list.contains("#incidents") && list.contains("Incident &lt;declared&gt;\n*Orders* down"), list);
        assertEquals(message, get("/raw/" + posts.get(0).getFileName()).body());

        assertEquals(List.of(400, "no_text"), answer(post("/slack/incidents", "{}")));
        assertEquals(List.of(400, "no_text"), answer(post("/slack/incidents", "{\"text\":\" \",\"blocks\":[]}")));
        assertEquals(List.of(400, "invalid_payload"), answer(post("/slack/incidents", "text=hello")));
        assertEquals(List.of(400, "invalid_payload"), answer(post("/slack/incidents", "[\"text\"]")));
        assertEquals(List.of(404, "no_service"), answer(post("/slack/Not%20a%20channel", "{\"text\":\"x\"}")));
        assertEquals(1, files(data.resolve("slack")).size(), "refused posts are not kept");

        assertEquals(200, post("/slack/incidents", "{\"text\":\"second\"}").statusCode());
        assertEquals("20261206T071200.124Z-incidents.json", files(data.resolve("slack")).get(1).getFileName().toString(),
                "later names even within one millisecond");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/raw/../secret.eml", "/raw/..%2Fsecret.eml", "/mail/%2e%2e/secret.eml",
            "/raw/20261206T071200.123Z-abcdef.eml/../../secret.eml", "/raw/..%2F..%2Fetc%2Fpasswd",
            "/mail/20261206T071200.123Z-incidents.json", "/raw/secret.eml"})
    void namesOutsideTheInboxFindNothing(String path) throws Exception {
        Files.writeString(data.resolve("secret.eml"), "Subject: secret\r\n\r\nsecret\r\n");
        Files.writeString(data.resolve("mail/secret.eml"), "Subject: secret\r\n\r\nsecret\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), inbox.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 404") || response.startsWith("HTTP/1.1 400"), response);
            assertFalse(response.contains("secret"), response);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbox.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbox.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Object> answer(HttpResponse<String> response) {
        return List.of(response.statusCode(), response.body());
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    /** A client side of an SMTP conversation, each reply checked. */
    private static final class Smtp implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;
        private String last = "";

        Smtp(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void send(String lines, String expected) throws IOException {
            out.write((lines + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            expect(expected);
        }

        /** Reads one reply (all its lines) and checks how it starts. */
        void expect(String expected) throws IOException {
            StringBuilder reply = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                reply.append(line).append('\n');
            } while (line != null && line.length() > 3 && line.charAt(3) == '-');
            last = reply.toString();
            assertTrue(last.startsWith(expected), "expected " + expected + ", got " + last);
        }

        String lastReply() {
            return last;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
