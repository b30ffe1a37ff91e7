package ai.loopgpt.dr.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A local JWT issuer: an RSA key pair and RS256 tokens carrying the suite's roles in the
 * {@code groups} claim, as SmallRye JWT reads them. For the local run and tests only; in production
 * tokens come from the real identity provider.
 */
public final class LocalTokenIssuer {

    public static final String ISSUER = "https://auth.loopgpt.local";

    private final KeyPair keys;
    private final String issuer;

    private LocalTokenIssuer(KeyPair keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** A fresh key pair, kept in memory. */
    public static LocalTokenIssuer generate() {
        return new LocalTokenIssuer(newKeyPair(), ISSUER);
    }

    /**
     * The key pair kept in {@code directory} (private key readable by its owner only), created on
     * first use, so that tokens stay valid across restarts.
     */
    public static LocalTokenIssuer persistentIn(Path directory) {
        Path privateKey = directory.resolve("issuer-private.pk8");
        Path publicKey = directory.resolve("issuer-public.pem");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (Files.exists(privateKey) && Files.exists(publicKey)) {
                PrivateKey priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateKey)));
                PublicKey pub = rsa.generatePublic(new X509EncodedKeySpec(pemBody(Files.readString(publicKey))));
                return new LocalTokenIssuer(new KeyPair(pub, priv), ISSUER);
            }
            Files.createDirectories(directory);
            KeyPair keys = newKeyPair();
            Files.write(privateKey, keys.getPrivate().getEncoded());
            Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
            LocalTokenIssuer issuer = new LocalTokenIssuer(keys, ISSUER);
            Files.writeString(publicKey, issuer.publicKeyPem());
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the token issuer's keys in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the token issuer's keys in " + directory, e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** The verification key, as SmallRye JWT's {@code mp.jwt.verify.publickey} takes it. */
    public String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** Writes the verification key to {@code file} and returns it. */
    public Path writePublicKey(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, publicKeyPem());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token for {@code subject} holding {@code roles}, valid for {@code lifetime}. */
    public String token(String subject, List<String> roles, Duration lifetime) {
        return token(subject, roles, lifetime, Instant.now());
    }

    /** As {@link #token(String, List, Duration)}, issued at {@code now} (tests of clocks that are off). */
    public String token(String subject, List<String> roles, Duration lifetime, Instant now) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"local\"}";
        String payload = "{"
                + "\"iss\":" + json(issuer)
                + ",\"sub\":" + json(subject)
                + ",\"upn\":" + json(subject)
                + ",\"groups\":[" + roles.stream().map(LocalTokenIssuer::json).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + now.getEpochSecond()
                + ",\"exp\":" + now.plus(lifetime).getEpochSecond()
                + ",\"jti\":" + json(UUID.randomUUID().toString())
                + "}";
        String signingInput = base64Url(header) + "." + base64Url(payload);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pemBody(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
