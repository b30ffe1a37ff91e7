package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A service account's token from the issuer's token endpoint (OAuth 2.0 client credentials grant). */
final class ClientCredentials implements Connection.TokenSource {

    /** A secret read only when a token is needed. */
    interface Secret {
        String value();
    }

    private final String issuer;
    private final String clientId;
    private final Secret secret;
    private final String scope;
    private final Secrets secrets;
    private String cached;

    ClientCredentials(String issuer, String clientId, Secret secret, String scope, Secrets secrets) {
        this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.clientId = clientId;
        this.secret = secret;
        this.scope = scope;
        this.secrets = secrets;
    }

    @Override
    public synchronized String token(Duration timeout) {
        if (cached != null) {
            return cached;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        try {
            JsonNode discovery = Json.MAPPER.readTree(send(http, HttpRequest.newBuilder(
                    URI.create(issuer + "/.well-known/openid-configuration")).timeout(timeout).GET().build(),
                    "its discovery document"));
            String endpoint = discovery.path("token_endpoint").isTextual() ? discovery.get("token_endpoint").asText()
                    : null;
            if (endpoint == null) {
                throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer
                        + " has no token_endpoint in its discovery document.");
            }
            // The client's secret goes there: an http(s) URL, and https when the issuer is.
            if (!Connection.isHttpUrl(endpoint) || issuer.regionMatches(true, 0, "https:", 0, 6)
                    && !endpoint.regionMatches(true, 0, "https:", 0, 6)) {
                throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer + "'s token_endpoint is not "
                        + (issuer.regionMatches(true, 0, "https:", 0, 6) ? "an https" : "an http(s)")
                        + " URL; drctl does not send the client's secret there.");
            }
            String form = "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + encode(scope));
            String basic = secrets.add(Base64.getEncoder().encodeToString((encode(clientId) + ":"
                    + encode(secret.value())).getBytes(StandardCharsets.UTF_8)));
            JsonNode answer = Json.MAPPER.readTree(send(http, HttpRequest.newBuilder(URI.create(endpoint))
                    .timeout(timeout)
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), "a token"));
            String token = answer.path("access_token").isTextual() ? answer.get("access_token").asText() : null;
            if (token == null) {
                throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer + " answered without an access_token.");
            }
            cached = secrets.add(TokenSources.checkedToken(token, "the access_token from the OIDC issuer " + issuer));
            return cached;
        } catch (IOException e) {
            boolean badAnswer = BoundedBody.tooLarge(e) || e instanceof com.fasterxml.jackson.core.JacksonException;
            String why = BoundedBody.tooLarge(e) ? "its answer is larger than " + BoundedBody.describe(BoundedBody.LIMIT)
                    : badAnswer ? "its answer is not JSON" : Api.unreachableReason(e, timeout, secrets::redact);
            throw new CliException(badAnswer ? ExitCodes.ERROR : ExitCodes.UNREACHABLE,
                    "Cannot get a token from the OIDC issuer " + issuer + ": " + why + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.error("Interrupted while getting a token.");
        }
    }

    private String send(HttpClient http, HttpRequest request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, BoundedBody.handler(BoundedBody.LIMIT));
        if (response.statusCode() / 100 != 2) {
            // The error of a token endpoint (RFC 6749 5.2) says what was wrong; the secret is not in it.
            JsonNode error = null;
            try {
                error = Json.MAPPER.readTree(response.body());
            } catch (IOException notJson) {
                // Said without it.
            }
            String said = error == null ? "" : ": " + Text.printable(error.path("error").asText("")
                    + (error.hasNonNull("error_description") ? " (" + error.get("error_description").asText() + ")" : ""));
            throw new CliException(ExitCodes.REFUSED, "The OIDC issuer " + issuer + " refused " + what
                    + " for client '" + Text.printable(clientId) + "' (HTTP " + response.statusCode() + ")" + said + ".");
        }
        return response.body();
    }

    @Override
    public String describe() {
        return "OIDC client credentials of '" + clientId + "' at " + issuer;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
