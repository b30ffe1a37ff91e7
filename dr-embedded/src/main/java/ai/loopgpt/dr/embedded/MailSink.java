package ai.loopgpt.dr.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real SMTP server (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, QUIT; 8BITMIME and
 * SIZE; no authentication, no TLS) on loopback, delivering every message it accepts into an
 * {@link InboxFolder} as an {@code .eml} file: the message as sent, dot-unstuffed, CRLF line ends.
 * It relays nothing: whatever the recipient, the message stays here.
 */
public final class MailSink implements AutoCloseable {

    /** The largest message accepted, as advertised by EHLO's SIZE. */
    public static final int MAX_MESSAGE_BYTES = 50 * 1024 * 1024;
    private static final int MAX_COMMAND_BYTES = 4096;
    private static final int MAX_RECIPIENTS = 100;
    private static final int MAX_SESSIONS = 32;
    /** RFC 5321 4.5.3.2.7: a server waits at least 5 minutes for the next command. */
    private static final int IDLE_MILLIS = (int) TimeUnit.MINUTES.toMillis(5);

    private final InboxFolder inbox;
    private final ServerSocket server;
    private final ExecutorService sessions;
    private final Semaphore free = new Semaphore(MAX_SESSIONS);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private MailSink(InboxFolder inbox, ServerSocket server) {
        this.inbox = inbox;
        this.server = server;
        this.sessions = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "smtp-session-" + server.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the server on 127.0.0.1:{@code port} (0: any free port). */
    public static MailSink start(InboxFolder inbox, int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            } catch (IOException e) {
                socket.close();
                throw new UncheckedIOException("Could not listen for SMTP on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
            MailSink sink = new MailSink(inbox, socket);
            Thread acceptor = new Thread(sink::accept, "smtp-accept-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the SMTP server", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public Path folder() {
        return inbox.mailFolder();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            if (!free.tryAcquire()) {
                try (client) {
                    client.getOutputStream().write("421 localhost Too many connections, try again later\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // The client went away.
                }
                continue;
            }
            open.add(client);
            sessions.execute(() -> {
                try {
                    new Session(client).run();
                } finally {
                    open.remove(client);
                    free.release();
                }
            });
        }
    }

    /** One SMTP conversation: the state of its mail transaction and the commands it accepts. */
    private final class Session {
        private final Socket client;
        private InputStream in;
        private OutputStream out;
        private boolean greeted;
        private boolean inTransaction;
        private int recipients;

        Session(Socket client) {
            this.client = client;
        }

        void run() {
            try (client) {
                client.setSoTimeout(IDLE_MILLIS);
                in = new BufferedInputStream(client.getInputStream());
                out = client.getOutputStream();
                reply("220 localhost ESMTP LoopGPT DR mail sink (nothing is relayed)");
                while (true) {
                    byte[] raw = readLine(in, MAX_COMMAND_BYTES);
                    if (raw == null) {
                        return;
                    }
                    if (raw == TOO_LONG) {
                        reply("500 5.5.6 Line too long");
                        continue;
                    }
                    if (!command(new String(raw, StandardCharsets.UTF_8))) {
                        return;
                    }
                }
            } catch (SocketTimeoutException idle) {
                try {
                    reply("421 4.4.2 localhost Idle for too long, closing");
                } catch (IOException ignored) {
                    // Gone as well.
                }
            } catch (IOException ignored) {
                // The client went away.
            }
        }

        /** Handles one command line; false once the session is over. */
        private boolean command(String line) throws IOException {
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            String argument = line.length() > verb.length() ? line.substring(verb.length()).strip() : "";
            switch (verb) {
                case "EHLO", "HELO" -> {
                    if (argument.isEmpty()) {
                        reply("501 5.5.4 " + verb + " needs a domain or address");
                        return true;
                    }
                    greeted = true;
                    reset();
                    reply(verb.equals("HELO") ? "250 localhost"
                            : "250-localhost greets " + argument + "\r\n250-8BITMIME\r\n250 SIZE " + MAX_MESSAGE_BYTES);
                }
                case "MAIL" -> mail(argument);
                case "RCPT" -> rcpt(argument);
                case "DATA" -> data();
                case "RSET" -> {
                    reset();
                    reply("250 2.0.0 OK");
                }
                case "NOOP" -> reply("250 2.0.0 OK");
                case "VRFY" -> reply("252 2.1.5 Cannot verify, but will accept the message");
                case "QUIT" -> {
                    reply("221 2.0.0 localhost closing");
                    return false;
                }
                default -> reply("500 5.5.2 Command not recognized");
            }
            return true;
        }

        private void mail(String argument) throws IOException {
            if (!greeted) {
                reply("503 5.5.1 Send EHLO or HELO first");
            } else if (inTransaction) {
                reply("503 5.5.1 Already in a mail transaction (RSET first)");
            } else if (path(argument, "FROM:") == null) {
                reply("501 5.5.4 Syntax: MAIL FROM:<address>");
            } else if (sizeParameter(argument) > MAX_MESSAGE_BYTES) {
                reply("552 5.3.4 Message larger than " + MAX_MESSAGE_BYTES + " bytes");
            } else {
                inTransaction = true;
                recipients = 0;
                reply("250 2.1.0 OK");
            }
        }

        private void rcpt(String argument) throws IOException {
            String path = path(argument, "TO:");
            if (!inTransaction) {
                reply("503 5.5.1 Need MAIL before RCPT");
            } else if (path == null || path.isEmpty()) {
                reply("501 5.5.4 Syntax: RCPT TO:<address>");
            } else if (recipients >= MAX_RECIPIENTS) {
                reply("452 4.5.3 Too many recipients");
            } else {
                recipients++;
                reply("250 2.1.5 OK");
            }
        }

        private void data() throws IOException {
            if (!inTransaction || recipients == 0) {
                reply("503 5.5.1 Need MAIL and RCPT before DATA");
                return;
            }
            reply("354 End data with <CR><LF>.<CR><LF>");
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            boolean tooLarge = false;
            while (true) {
                byte[] line = readLine(in, MAX_MESSAGE_BYTES);
                if (line == null) {
                    throw new IOException("Connection closed within DATA");
                }
                if (line == TOO_LONG) {
                    tooLarge = true;
                    continue;
                }
                if (line.length == 1 && line[0] == '.') {
                    break;
                }
                // RFC 5321 4.5.2: a leading period was doubled by the sender.
                int from = line.length > 0 && line[0] == '.' ? 1 : 0;
                if (message.size() + line.length + 2 > MAX_MESSAGE_BYTES) {
                    tooLarge = true;
                } else if (!tooLarge) {
                    message.write(line, from, line.length - from);
                    message.write('\r');
                    message.write('\n');
                }
            }
            reset();
            if (tooLarge) {
                reply("552 5.3.4 Message larger than " + MAX_MESSAGE_BYTES + " bytes");
                return;
            }
            try {
                Path file = inbox.storeMail(message.toByteArray());
                reply("250 2.0.0 OK stored as " + file.getFileName());
            } catch (IOException e) {
                reply("451 4.3.0 Could not store the message: " + e.getMessage().replaceAll("[\\r\\n]", " "));
            }
        }

        private void reset() {
            inTransaction = false;
            recipients = 0;
        }

        private void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** The reverse- or forward-path after {@code keyword} ("FROM:", "TO:"): "" for {@code <>}, null when malformed. */
    static String path(String argument, String keyword) {
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return null;
        }
        String rest = argument.substring(keyword.length()).strip();
        int close = rest.indexOf('>');
        if (!rest.startsWith("<") || close < 0) {
            return null;
        }
        return rest.substring(1, close);
    }

    /** The SIZE=n parameter of MAIL FROM, or 0. */
    private static long sizeParameter(String argument) {
        for (String parameter : argument.substring(Math.max(0, argument.indexOf('>') + 1)).strip().split("\\s+")) {
            if (parameter.regionMatches(true, 0, "SIZE=", 0, 5)) {
                try {
                    return Long.parseLong(parameter.substring(5));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static final byte[] TOO_LONG = new byte[0];

    /**
     * The next line without its end (CRLF, or a bare LF from a lax client); null at the end of the
     * stream; {@link #TOO_LONG} (the rest of it skipped) when longer than {@code max} bytes.
     */
    private static byte[] readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean skipped = false;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                if (skipped) {
                    return TOO_LONG;
                }
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
            }
            if (line.size() > max) {
                skipped = true;
            } else {
                line.write(b);
            }
        }
        return line.size() == 0 && !skipped ? null : line.toByteArray();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket session : open) {
                session.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the SMTP server", e);
        } finally {
            sessions.shutdownNow();
        }
    }
}
