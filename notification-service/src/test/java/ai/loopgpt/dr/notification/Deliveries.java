package ai.loopgpt.dr.notification;

import static io.restassured.RestAssured.given;

import ai.loopgpt.dr.notification.delivery.Dispatcher;
import ai.loopgpt.dr.testing.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/** Runs the dispatcher, as its schedule would, until what a test waits for has happened. */
final class Deliveries {

    private Deliveries() {
    }

    /** Dispatches until {@code done} holds (at most 30 s: a retry after a failed attempt included). */
    static void until(Dispatcher dispatcher, Callable<Boolean> done) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            dispatcher.dispatch();
            return done.call();
        });
    }

    /** Dispatches until no delivery of notification {@code id} is pending any more. */
    static void settle(Dispatcher dispatcher, String id) {
        until(dispatcher, () -> !states(id).contains("PENDING"));
    }

    static List<String> states(String id) {
        return given().auth().oauth2(Tokens.viewer()).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                .extract().path("deliveries.state");
    }
}
