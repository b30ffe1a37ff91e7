package ai.loopgpt.dr.common.io;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's {@link ScratchSpace} in {@code java.io.tmpdir}, given back as the service stops. Only a
 * service that injects it has one; the bean that does observes the start-up event, so that what a
 * killed predecessor left is deleted as the service starts, before any job needs the disk.
 */
@ApplicationScoped
public class ScratchSpaces {

    @Produces
    @Singleton
    ScratchSpace scratchSpace(@ConfigProperty(name = "quarkus.application.name") String service) throws IOException {
        return ScratchSpace.open(service);
    }

    void close(@Disposes ScratchSpace space) {
        space.close();
    }
}
