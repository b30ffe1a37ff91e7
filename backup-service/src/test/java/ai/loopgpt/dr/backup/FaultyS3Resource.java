package ai.loopgpt.dr.backup;

import ai.loopgpt.dr.testing.FaultyTcpProxy;
import ai.loopgpt.dr.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The test S3 server seen through a proxy that a test can make fail in the middle of an upload. */
public class FaultyS3Resource implements QuarkusTestResourceLifecycleManager {

    static FaultyTcpProxy proxy;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(new S3Resource().start());
        try {
            proxy = new FaultyTcpProxy(S3Resource.server().port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("quarkus.s3.endpoint-override", "http://127.0.0.1:" + proxy.port());
        // Fail fast: the SDK's retries would otherwise take long against a peer that is down.
        config.put("quarkus.s3.sync-client.connection-timeout", "1S");
        config.put("quarkus.s3.sync-client.socket-timeout", "5S");
        config.put("backup.storage.stall-timeout", "5S");
        return config;
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
