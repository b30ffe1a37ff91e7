package ai.loopgpt.dr.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface of the service under test ({@code /q/health}, {@code /q/metrics},
 * {@code /q/openapi}), on its own port: the public port answers none of them.
 */
public final class Management {

    private Management() {
    }

    /** The port the test application's management interface listens on. */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** A request to the management interface. */
    public static RequestSpecification given() {
        return io.restassured.RestAssured.given().port(port());
    }
}
