package ai.loopgpt.dr.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The service's clock in every Quarkus test of every module using this one (a bean archive): real time
 * unless a test moves it (and puts it back). It replaces dr-common's {@code ClockProducer}, a default bean.
 */
@ApplicationScoped
public class TestClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return MovableClock.INSTANCE;
    }
}
