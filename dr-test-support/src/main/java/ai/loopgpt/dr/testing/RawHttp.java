package ai.loopgpt.dr.testing;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand to the service under test, for what a client library will not send (a
 * declared length it never sends, a stream of chunks past the server's limit), and read back
 * whatever the server answers before it closes.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, ending with the blank line), then {@code chunkedBytes}
     * of body in chunks if positive (a JSON string that never ends), and returns the server's answer as text (status line, headers, body).
     * Writing stops quietly when the server closes the connection, as it may once it has answered.
     */
    public static String exchange(String head, int chunkedBytes) throws IOException {
        URI base = URI.create(RestAssured.baseURI);
        try (Socket socket = new Socket(base.getHost(), RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                if (chunkedBytes > 0) {
                    out.write("6\r\n{\"a\":\"\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                for (int sent = 0; sent < chunkedBytes; sent += chunk.length) {
                    out.write(size);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                if (chunkedBytes > 0) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException closedWhileWriting) {
                // The server answered and closed before taking the whole body: read what it said.
            }
            return readAnswer(socket.getInputStream());
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && complete(text, end)) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // Whatever arrived before the timeout or the reset is the answer.
        }
        // A 100 Continue, if the server sent one, comes before the final answer.
        String text = answer.toString(StandardCharsets.UTF_8);
        return text.startsWith("HTTP/1.1 100") ? text.substring(text.indexOf("\r\n\r\n") + 4) : text;
    }

    private static boolean complete(String text, int headEnd) {
        if (text.startsWith("HTTP/1.1 100")) {
            int next = text.indexOf("\r\n\r\n", headEnd + 4);
            return next > 0 && complete(text.substring(headEnd + 4), next - headEnd - 4);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)")
                .matcher(text.substring(0, headEnd));
        return length.find() && text.length() - headEnd - 4 >= Integer.parseInt(length.group(1));
    }
}
