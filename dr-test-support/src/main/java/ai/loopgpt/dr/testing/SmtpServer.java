package ai.loopgpt.dr.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real SMTP server (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on a random
 * loopback port, keeping every message it accepts. It can be taken down and brought back on the
 * same port, to stand for a mail relay that is away for a while.
 */
public final class SmtpServer implements AutoCloseable {

    /** A message as received: envelope and raw content (headers and MIME body). */
    public record Message(String from, List<String> to, String data) {
        /** The value of header {@code name} (unfolded), or null. */
        public String header(String name) {
            String[] lines = data.split("\r\n");
            for (int i = 0; i < lines.length && !lines[i].isEmpty(); i++) {
                if (lines[i].regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    StringBuilder value = new StringBuilder(lines[i].substring(name.length() + 1).strip());
                    while (i + 1 < lines.length && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
                        value.append(' ').append(lines[++i].strip());
                    }
                    return value.toString();
                }
            }
            return null;
        }
    }

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final java.util.Set<Socket> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket server;

    public SmtpServer() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = socket.getLocalPort();
        listen(socket);
    }

    public int port() {
        return port;
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Stops accepting connections (clients get "connection refused") and drops those open (pooled ones too). */
    public synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket session : sessions) {
            session.close();
        }
        sessions.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void up() throws IOException {
        if (server == null) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(socket);
        }
    }

    private void listen(ServerSocket socket) {
        server = socket;
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    sessions.add(client);
                    Thread session = new Thread(() -> session(client), "smtp-session");
                    session.setDaemon(true);
                    session.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "smtp-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void session(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream out = client.getOutputStream()) {
            reply(out, "220 localhost ESMTP test server");
            String from = null;
            List<String> to = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO" -> reply(out, "250-localhost\r\n250-8BITMIME\r\n250 SIZE 52428800");
                    case "HELO" -> reply(out, "250 localhost");
                    case "MAIL" -> {
                        from = address(line);
                        to = new ArrayList<>();
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        to.add(address(line));
                        reply(out, "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        StringBuilder data = new StringBuilder();
                        String d;
                        while ((d = in.readLine()) != null && !d.equals(".")) {
                            data.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
                        }
                        messages.add(new Message(from, List.copyOf(to), data.toString()));
                        reply(out, "250 OK queued");
                    }
                    case "RSET" -> {
                        from = null;
                        to = new ArrayList<>();
                        reply(out, "250 OK");
                    }
                    case "NOOP" -> reply(out, "250 OK");
                    case "QUIT" -> {
                        reply(out, "221 Bye");
                        return;
                    }
                    default -> reply(out, "502 Command not implemented");
                }
            }
        } catch (IOException ignored) {
            // The client went away.
        } finally {
            sessions.remove(client);
        }
    }

    private static String address(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>');
        return open >= 0 && close > open ? line.substring(open + 1, close) : line.substring(line.indexOf(':') + 1).strip();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
