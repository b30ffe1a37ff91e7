package ai.loopgpt.dr.notification.selfcheck;

import ai.loopgpt.dr.common.selfcheck.Check;
import ai.loopgpt.dr.text.Printable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/** Connects to the SMTP relay, reads its greeting and says EHLO, as the mailer would; sends no mail. */
final class SmtpProbe {

    private static final Printable QUOTED = Printable.ONE_LINE.atMost(120);

    private SmtpProbe() {
    }

    static Check check(String host, int port, boolean implicitTls, String startTls) {
        String name = "SMTP relay " + host + ":" + port;
        String fix = "Start the relay, or point QUARKUS_MAILER_HOST and QUARKUS_MAILER_PORT (chart: notification.smtp) at one.";
        try (Socket socket = implicitTls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            String greeting = reply(in);
            if (!greeting.startsWith("220")) {
                return Check.fail(name, "greeted with '" + printable(greeting) + "' instead of 220", fix);
            }
            out.write("EHLO loopgpt-dr-self-check\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String ehlo = reply(in);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (!ehlo.startsWith("250")) {
                return Check.fail(name, "answered EHLO with '" + printable(ehlo) + "'", fix);
            }
            if ("REQUIRED".equalsIgnoreCase(startTls) && !implicitTls && !ehlo.toUpperCase().contains("STARTTLS")) {
                return Check.fail(name, "does not offer STARTTLS, which quarkus.mailer.start-tls=REQUIRED demands",
                        "Use a relay that offers STARTTLS, or set QUARKUS_MAILER_START_TLS to OPTIONAL.");
            }
            return Check.pass(name, "answered EHLO" + (ehlo.toUpperCase().contains("STARTTLS") ? " (offers STARTTLS)" : ""));
        } catch (IOException e) {
            return Check.fail(name, "cannot talk to it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + printable(e.getMessage())) + ")", fix);
        }
    }

    /** One SMTP reply, its continuation lines ("250-...") joined. */
    private static String reply(BufferedReader in) throws IOException {
        StringBuilder all = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        if (all.isEmpty()) {
            throw new IOException("closed without a reply");
        }
        return all.toString();
    }

    /** What the relay said, quoted in a sentence: one line, at most 120 characters (the suite's one rule). */
    private static String printable(String text) {
        return QUOTED.escape(text.strip());
    }
}
