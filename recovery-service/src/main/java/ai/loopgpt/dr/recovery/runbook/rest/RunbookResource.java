package ai.loopgpt.dr.recovery.runbook.rest;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.recovery.incident.Scenario;
import ai.loopgpt.dr.recovery.runbook.Runbook;
import ai.loopgpt.dr.recovery.runbook.RunbookLibrary;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The plan's procedures, one runbook per scenario. */
@Path("/api/v1/runbooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Runbooks", description = "The runbooks of the disaster recovery plan's scenarios")
public class RunbookResource {

    private final RunbookLibrary runbooks;

    public RunbookResource(RunbookLibrary runbooks) {
        this.runbooks = runbooks;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listRunbooks",
            summary = "The runbooks of the five scenarios: steps, owners, which steps run an action")
    public List<Runbook> list() {
        return runbooks.all();
    }

    @GET
    @Path("/{scenario}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getRunbook", summary = "One scenario's runbook")
    public Runbook get(@PathParam("scenario") String scenario) {
        Scenario s;
        try {
            s = Scenario.of(scenario);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ai.loopgpt.dr.common.problem.ProblemType.NOT_FOUND, "No runbook for scenario '"
                    + ProblemException.shorten(scenario) + "'; the scenarios are: "
                    + Arrays.stream(Scenario.values()).map(Scenario::code).collect(Collectors.joining(", ")) + ".");
        }
        return runbooks.of(s);
    }
}
