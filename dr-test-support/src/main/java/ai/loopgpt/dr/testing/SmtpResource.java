package ai.loopgpt.dr.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A real SMTP server on a random loopback port, with Quarkus Mailer pointed at it. One per test JVM. */
public class SmtpResource implements QuarkusTestResourceLifecycleManager {

    private static SmtpServer server;

    public static synchronized SmtpServer server() {
        if (server == null) {
            try {
                server = new SmtpServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(server().port()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.mock", "false",
                // A send the relay never answers fails after this and is retried, rather than holding a test for 30 s.
                "quarkus.mailer.timeout", "5s");
    }

    @Override
    public void stop() {
        // Kept for the next test application of this JVM.
    }
}
