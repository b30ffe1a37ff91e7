package ai.loopgpt.dr.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver), driven over the W3C WebDriver
 * protocol by ChromeDriver on a random loopback port. Enough to load a page, read elements, run a
 * line of script and take a screenshot.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final URI base;
    private final String session;
    private final Path profile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HeadlessChromium(Process driver, URI base, String session, Path profile) {
        this.driver = driver;
        this.base = base;
        this.session = session;
        this.profile = profile;
    }

    public static HeadlessChromium start(int width, int height) throws Exception {
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromedriver) || !Files.isExecutable(chromium)) {
            throw new IllegalStateException("Install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/status")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    driver.destroyForcibly();
                    throw new IllegalStateException("chromedriver did not start");
                }
            }
            Thread.sleep(100);
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        ObjectNode options = JSON.createObjectNode().put("binary", chromium.toString());
        List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=" + Math.max(width, 500) + "," + height)
                .forEach(options.putArray("args")::add);
        if (width < 500) {
            // Windows are not made narrower than about 500 px: emulate a phone's viewport instead.
            options.putObject("mobileEmulation").putObject("deviceMetrics")
                    .put("width", width).put("height", height).put("pixelRatio", 1.0);
        }
        ObjectNode capabilities = JSON.createObjectNode();
        capabilities.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                .set("goog:chromeOptions", options);
        JsonNode created = call(http, "POST", base.resolve("/session"), capabilities);
        return new HeadlessChromium(driver, base, created.path("value").path("sessionId").asText(), profile);
    }

    private static JsonNode call(HttpClient http, String method, URI uri, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException("WebDriver " + method + " " + uri.getPath() + ": " + json.path("value").path("message").asText());
        }
        return json;
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        return call(http, method, base.resolve("/session/" + session + path), body);
    }

    public void open(String url) throws IOException, InterruptedException {
        call("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    /** The visible text of the first element matching {@code css}. */
    public String text(String css) throws IOException, InterruptedException {
        JsonNode element = call("POST", "/element", JSON.createObjectNode().put("using", "css selector").put("value", css));
        String id = element.path("value").path(ELEMENT).asText();
        return call("GET", "/element/" + id + "/text", null).path("value").asText();
    }

    /** How many elements match {@code css}. */
    public int count(String css) throws IOException, InterruptedException {
        return call("POST", "/elements", JSON.createObjectNode().put("using", "css selector").put("value", css))
                .path("value").size();
    }

    /** Runs {@code script} (a function body) in the page and returns its result. */
    public JsonNode script(String script) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return call("POST", "/execute/sync", body).path("value");
    }

    public Path screenshot(Path file) throws IOException, InterruptedException {
        byte[] png = Base64.getDecoder().decode(call("GET", "/screenshot", null).path("value").asText());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, png);
        return file;
    }

    @Override
    public void close() {
        try {
            call("DELETE", "", null);
        } catch (Exception ignored) {
            // The driver goes anyway.
        }
        driver.destroy();
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder.
        }
    }
}
