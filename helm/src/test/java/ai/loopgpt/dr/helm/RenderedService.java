package ai.loopgpt.dr.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.loopgpt.dr.embedded.EmbeddedS3;
import ai.loopgpt.dr.testing.BackupServiceResource;
import ai.loopgpt.dr.testing.PostgresResource;
import ai.loopgpt.dr.testing.Tokens;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A service as the chart runs it: its rendered application.properties (read through
 * quarkus.config.locations, as in the pod) and its Deployment's environment, the Secrets' values
 * standing in for the keys they reference.
 */
final class RenderedService {

    private RenderedService() {
    }

    /** The values of the Secrets the chart's defaults reference, for the test's PostgreSQL and S3. */
    static Map<String, String> secrets(EmbeddedS3 s3) {
        Map<String, String> secrets = new HashMap<>(Map.of(
                "loopgpt-dr-database/username", "dr",
                "loopgpt-dr-database/password", PostgresResource.servicePassword(),
                "loopgpt-dr-s3/access-key-id", s3.accessKey(),
                "loopgpt-dr-s3/secret-access-key", s3.secretKey(),
                "loopgpt-dr-target-loopgpt/password", BackupServiceResource.TARGET_PASSWORD,
                "loopgpt-dr-destination-loopgpt/password", "unused-superuser-trust",
                "loopgpt-dr-smtp/username", "dr", "loopgpt-dr-smtp/password", "smtp-password",
                "loopgpt-dr-subscriber-token/token-key", "a-test-subscriber-token-key-of-more-than-32-characters"));
        for (String service : List.of("backup", "recovery", "notification", "status")) {
            secrets.put("loopgpt-dr-service-tokens/" + service + "-service",
                    Tokens.as("system:serviceaccount:dr:" + service + "-service", "dr-service"));
        }
        return secrets;
    }

    /** {@code module}'s environment in its pod, its configuration file written under {@code dir}. */
    static Map<String, String> environment(List<HasMetadata> objects, String module, Map<String, String> secrets, Path dir)
            throws IOException {
        String name = "dr-" + module;
        ConfigMap config = ChartIT.ofKind(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElseThrow();
        Path properties = Files.writeString(Files.createDirectories(dir).resolve(module + ".properties"),
                config.getData().get("application.properties"));
        Deployment deployment = ChartIT.ofKind(objects, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            if (var.getValueFrom() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                String value = secrets.get(ref.getName() + "/" + ref.getKey());
                assertNotNull(value, module + " references " + ref.getName() + "/" + ref.getKey());
                env.put(var.getName(), value);
            } else if (!var.getName().equals("JAVA_OPTS")) {
                env.put(var.getName(), var.getValue());
            }
        }
        assertEquals("/etc/loopgpt-dr/config/application.properties", env.get("QUARKUS_CONFIG_LOCATIONS"));
        env.put("QUARKUS_CONFIG_LOCATIONS", properties.toString());
        return env;
    }
}
