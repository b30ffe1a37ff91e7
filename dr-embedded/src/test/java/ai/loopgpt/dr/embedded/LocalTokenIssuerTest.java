package ai.loopgpt.dr.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalTokenIssuerTest {

    @Test
    void tokensVerifyWithThePublishedKeyAcrossRestarts() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        String token = LocalTokenIssuer.persistentIn(dir).token("alice", List.of("dr-operator"), Duration.ofHours(1));
        LocalTokenIssuer reopened = LocalTokenIssuer.persistentIn(dir);

        String[] parts = token.split("\\.");
        byte[] der = Base64.getMimeDecoder().decode(reopened.publicKeyPem().replaceAll("-----[A-Z ]+-----", "").trim());
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)));
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])));

        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"sub\":\"alice\""), payload);
        assertTrue(payload.contains("\"groups\":[\"dr-operator\"]"), payload);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("issuer-private.pk8"))));
    }
}
