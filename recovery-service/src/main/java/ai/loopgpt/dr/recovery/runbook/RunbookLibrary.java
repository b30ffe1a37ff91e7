package ai.loopgpt.dr.recovery.runbook;

import ai.loopgpt.dr.recovery.incident.Scenario;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The runbooks of the five scenarios, read and checked at start-up: a broken runbook stops the service. */
@Startup
@ApplicationScoped
public class RunbookLibrary {

    private final Map<Scenario, Runbook> runbooks = new EnumMap<>(Scenario.class);

    public RunbookLibrary(ObjectMapper json) {
        for (Scenario scenario : Scenario.values()) {
            String resource = "runbooks/" + scenario.code() + ".json";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Runbook " + resource + " is missing");
                }
                Runbook runbook = json.readValue(in, Runbook.class);
                check(scenario, runbook, resource);
                runbooks.put(scenario, runbook);
            } catch (IOException e) {
                throw new IllegalStateException("Runbook " + resource + " cannot be read: " + e.getMessage(), e);
            }
        }
    }

    static void check(Scenario scenario, Runbook runbook, String resource) {
        if (!scenario.code().equals(runbook.scenario())) {
            throw new IllegalStateException(resource + " is the runbook of '" + runbook.scenario() + "'");
        }
        if (runbook.steps() == null || runbook.steps().isEmpty()) {
            throw new IllegalStateException(resource + " has no steps");
        }
        Set<String> ids = new HashSet<>();
        for (Runbook.Step step : runbook.steps()) {
            if (step.id() == null || !step.id().matches("[a-z0-9-]+") || !ids.add(step.id())) {
                throw new IllegalStateException(resource + ": step id '" + step.id() + "' is missing, malformed or twice");
            }
            if (!Runbook.ROLES.contains(step.owner())) {
                throw new IllegalStateException(resource + ": step '" + step.id() + "' is owned by '" + step.owner()
                        + "', not one of " + Runbook.ROLES);
            }
            if (step.action() != null && !Runbook.ACTIONS.contains(step.action())) {
                throw new IllegalStateException(resource + ": step '" + step.id() + "' runs '" + step.action()
                        + "', not one of " + Runbook.ACTIONS);
            }
        }
    }

    public Runbook of(Scenario scenario) {
        return runbooks.get(scenario);
    }

    public List<Runbook> all() {
        return List.copyOf(runbooks.values());
    }

    /** The scenarios other than {@code except} whose runbook has a step {@code step}. */
    public List<String> scenariosWithStep(String step, Scenario except) {
        return runbooks.entrySet().stream().filter(e -> e.getKey() != except && e.getValue().step(step).isPresent())
                .map(e -> e.getKey().code()).toList();
    }
}
