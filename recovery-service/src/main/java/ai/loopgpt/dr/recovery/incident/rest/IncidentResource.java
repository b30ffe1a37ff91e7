package ai.loopgpt.dr.recovery.incident.rest;

import ai.loopgpt.dr.common.security.Callers;
import ai.loopgpt.dr.common.security.Roles;
import ai.loopgpt.dr.common.web.PageOf;
import ai.loopgpt.dr.recovery.incident.Incident;
import ai.loopgpt.dr.recovery.incident.Scenario;
import ai.loopgpt.dr.recovery.incident.IncidentRunbookService;
import ai.loopgpt.dr.recovery.incident.IncidentSteps;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import ai.loopgpt.dr.recovery.incident.IncidentEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Incidents: one per disaster, following one of the plan's five scenarios. */
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Incidents",
        description = "Incidents run by their runbook: steps, updates, breach notices, post-mortems; game days")
public class IncidentResource {

    private final IncidentRunbookService incidents;
    private final IncidentSteps steps;
    private final SecurityIdentity identity;

    private final java.time.Duration rto;
    private final ai.loopgpt.dr.recovery.incident.PostmortemService postmortems;
    private final java.time.Clock clock;

    public IncidentResource(IncidentRunbookService incidents, IncidentSteps steps, SecurityIdentity identity,
            ai.loopgpt.dr.recovery.config.RecoverySettings settings,
            ai.loopgpt.dr.recovery.incident.PostmortemService postmortems, java.time.Clock clock) {
        this.clock = clock;
        this.postmortems = postmortems;
        this.incidents = incidents;
        this.steps = steps;
        this.identity = identity;
        this.rto = settings.rto();
    }

    private IncidentView view(Incident incident) {
        return IncidentView.of(incident, rto, clock.instant());
    }

    /** Body of a declaration. */
    public record Declaration(
            @NotBlank @Size(max = 200) String title,
            @NotNull Scenario scenario,
            @NotNull Incident.Severity severity,
            @Size(max = 4000) String summary,
            @Size(max = 50) List<@NotBlank @Size(max = 100) String> affectedComponents,
            @Size(max = 20) List<@NotBlank @Size(max = 40) String> affectedTargets,
            @Size(max = 4) Map<@NotBlank String, @NotBlank @Size(max = 200) String> roles,
            Instant startedAt,
            Instant awareAt,
            Boolean drill,
            @Size(max = 40) String provider) {
    }

    /** Body of a data breach notice to the affected users. */
    public record BreachNoticeRequest(@NotBlank @Size(max = 100) String audience,
            @NotBlank @Size(max = 2000) String dataConcerned, @NotBlank @Size(max = 2000) String actionsTaken,
            @NotBlank @Size(max = 2000) String userActions, @NotBlank @Size(max = 200) String contact) {
    }

    /** A data breach's GDPR clock. */
    public record Breach(Instant awareAt, Instant deadline, long secondsLeft, Instant authorityNotifiedAt,
            Instant usersNotifiedAt) {
    }

    /** Body of an update. */
    public record Update(
            @NotNull @jakarta.validation.constraints.Pattern(regexp = "investigating|identified|monitoring",
                    message = "must be investigating, identified or monitoring (resolve ends the incident)") String status,
            @NotBlank @Size(max = 4000) String body) {
    }

    /** Body of a post-mortem action item. */
    public record ActionItem(@NotBlank @Size(max = 2000) String description, @NotBlank @Size(max = 200) String owner,
            @NotNull java.time.LocalDate dueDate) {
    }

    /** Body of a post-mortem's completion. */
    public record Completion(@NotBlank @Size(max = 10_000) String summary) {
    }

    /** Body of a resolution: what the post-mortem starts from. */
    public record Resolution(@Size(max = 4000) String rootCause, @Size(max = 4000) String preventiveMeasures) {
    }

    /** An incident as the API shows it. */
    public record IncidentView(UUID id, String title, Scenario scenario, String scenarioTitle,
            Incident.Severity severity, Incident.Status status, String summary, String declaredBy,
            Instant declaredAt, Instant startedAt, Instant resolvedAt, Map<String, String> roles,
            List<String> affectedComponents, List<String> affectedTargets, Integer runbookVersion, String rootCause,
            String preventiveMeasures, Objectives objectives, String statusPageId, Instant publishedAt,
            Long publishedAfterSeconds, Breach breach, boolean drill, String provider) {
        static IncidentView of(Incident i, java.time.Duration rto, Instant now) {
            return new IncidentView(i.id, i.title, i.scenario, i.scenario.title(), i.severity, i.status, i.summary,
                    i.declaredBy, i.declaredAt, i.startedAt, i.resolvedAt, i.roles, i.affectedComponents,
                    i.affectedTargets, i.runbookVersion, i.rootCause, i.preventiveMeasures,
                    i.rtoSeconds == null ? null : new Objectives(i.rtoSeconds, i.rtoSeconds <= rto.toSeconds(), i.rpo,
                            i.actionTimes),
                    i.statusPageId, i.publishedAt, i.publishedAt == null ? null
                            : java.time.Duration.between(i.declaredAt, i.publishedAt).toSeconds(),
                    i.awareAt == null ? null : new Breach(i.awareAt, i.awareAt.plus(java.time.Duration.ofHours(72)),
                            Math.max(0, java.time.Duration.between(now, i.awareAt.plus(java.time.Duration.ofHours(72)))
                                    .toSeconds()), i.authorityNotifiedAt, i.usersNotifiedAt), i.drill, i.provider);
        }
    }

    /** The plan's objectives as the incident met them: RTO, and RPO per affected target. */
    public record Objectives(long rtoSeconds, boolean rtoMet, Map<String, Map<String, Object>> rpo,
            List<Map<String, Object>> actions) {
    }

    /** A line of the timeline. */
    public record EventView(Instant at, String kind, String step, String actor, String outcome, String note,
            String link) {
        static EventView of(IncidentEvent e) {
            return new EventView(e.at, e.kind, e.stepId, e.actor, e.outcome, e.note, e.link);
        }
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "declareIncident", summary = "Declares an incident")
    public Response declare(@Valid @NotNull Declaration declaration, @jakarta.ws.rs.core.Context UriInfo uri) {
        Incident incident = incidents.declare(new IncidentRunbookService.Declaration(declaration.title().strip(),
                declaration.scenario(), declaration.severity(), declaration.summary(), declaration.affectedComponents(),
                declaration.affectedTargets(), declaration.roles(), declaration.startedAt(), declaration.awareAt(),
                Boolean.TRUE.equals(declaration.drill()), declaration.provider()), Callers.subject(identity));
        return Response.created(uri.getAbsolutePathBuilder().path(incident.id.toString()).build())
                .entity(view(incident)).build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listIncidents", summary = "Lists incidents, newest first")
    public PageOf<IncidentView> list(@QueryParam("status") Incident.Status status,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        PageOf<Incident> found = incidents.list(status, page, size);
        return new PageOf<>(found.items().stream().map(this::view).toList(), page, size, found.total());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getIncident", summary = "Shows one incident")
    public IncidentView get(@PathParam("id") UUID id) {
        return view(incidents.get(id));
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "resolveIncident",
            summary = "Resolves an open incident, with its root cause and preventive measures")
    public IncidentView resolve(@PathParam("id") UUID id, @Valid Resolution body) {
        return view(incidents.resolve(id, body == null ? null : body.rootCause(),
                body == null ? null : body.preventiveMeasures(), Callers.subject(identity)));
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    // The same OpenAPI operation as resolve(...) (same path and method), whose operationId it keeps.
    @Operation(summary = "Resolves an open incident (no body: root cause and preventive measures left for later)")
    public IncidentView resolveWithoutBody(@PathParam("id") UUID id) {
        return view(incidents.resolve(id, null, null, Callers.subject(identity)));
    }

    @POST
    @Path("/{id}/steps/{step}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "doIncidentStep",
            summary = "Does a step of the incident's runbook: ticks a checklist item (once), or runs its action "
            + "(restore, rollback) and links what it started")
    public Response step(@PathParam("id") UUID id, @PathParam("step") String step,
            @Valid IncidentSteps.StepRequest body) {
        IncidentEvent event = steps.step(id, step, body, identity);
        return Response.status(event.link != null ? 202 : 200).entity(EventView.of(event)).build();
    }

    @POST
    @Path("/{id}/steps/{step}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    // The same OpenAPI operation as step(...) (same path and method), whose operationId it keeps.
    @Operation(summary = "Ticks a checklist item of the incident's runbook (no body, no note)")
    public Response stepWithoutBody(@PathParam("id") UUID id, @PathParam("step") String step) {
        return step(id, step, null);
    }

    @POST
    @Path("/{id}/updates")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "postIncidentUpdate",
            summary = "Posts an update: on the public incident, to the users (status-update) and to the team's Slack")
    public Response update(@PathParam("id") UUID id, @Valid @NotNull Update body) {
        IncidentEvent event = incidents.update(id, body.status(), body.body().strip(), Callers.subject(identity));
        return Response.status(201).entity(EventView.of(event)).build();
    }

    @POST
    @Path("/{id}/breach/notice")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "sendBreachNotice",
            summary = "Sends the plan's data breach notice to the affected users' audience; records the users notified")
    public Response breachNotice(@PathParam("id") UUID id, @Valid @NotNull BreachNoticeRequest body) {
        IncidentEvent event = incidents.breachNotice(id, new IncidentRunbookService.BreachNotice(body.audience().strip(),
                body.dataConcerned(), body.actionsTaken(), body.userActions(), body.contact()), Callers.subject(identity));
        return Response.status(202).entity(EventView.of(event)).build();
    }

    @GET
    @Path("/{id}/postmortem")
    @Produces("text/markdown; charset=utf-8")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getPostmortem",
            summary = "The post-mortem report (Markdown): objectives, timeline, the plan's agenda, action items")
    public String postmortem(@PathParam("id") UUID id) {
        return postmortems.render(id);
    }

    @POST
    @Path("/{id}/postmortem/actions")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "addPostmortemAction",
            summary = "Adds an action item (owner, due date) to a resolved incident's post-mortem")
    public Response addAction(@PathParam("id") UUID id, @Valid @NotNull ActionItem body) {
        ai.loopgpt.dr.recovery.incident.PostmortemAction a = postmortems.addAction(id, body.description().strip(),
                body.owner().strip(), body.dueDate(), Callers.subject(identity));
        return Response.status(201).entity(Map.of("id", a.id, "description", a.description, "owner", a.owner,
                "dueDate", a.dueDate.toString())).build();
    }

    /**
     * A message the incident sent to a peer: to the status page or notification-service, whether it
     * was taken (queued, sent, dead: refused for good) and, for notifications, what notification-service
     * says became of it (pending, delivered, dead with the reason).
     */
    public record MessageView(java.util.UUID id, String peer, String what, String audience, Instant createdAt,
            String state, Instant sentAt, String error, String delivery, String deliveryDetail) {
        static MessageView of(ai.loopgpt.dr.recovery.outbox.PeerMessage m) {
            Object template = m.body == null ? null : m.body.get("template");
            Object audience = m.body == null ? null : m.body.get("audience");
            String state = m.deadAt != null ? "dead" : m.sentAt != null ? "sent" : "queued";
            return new MessageView(m.id, m.peer, template != null ? String.valueOf(template) : m.method + " " + m.path,
                    audience == null ? null : String.valueOf(audience), m.createdAt, state, m.sentAt,
                    ai.loopgpt.dr.common.text.Addresses.hidden(m.lastError),
                    m.delivery, m.deliveryDetail);
        }
    }

    @GET
    @Path("/{id}/messages")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listIncidentMessages",
            summary = "The incident's messages to the status page and notification-service: taken or not, and "
            + "delivered or dead-lettered (with the reason) as notification-service says")
    public List<MessageView> messages(@PathParam("id") UUID id) {
        incidents.get(id);
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                ai.loopgpt.dr.recovery.outbox.PeerMessage.<ai.loopgpt.dr.recovery.outbox.PeerMessage>list(
                        "incidentId = ?1 order by createdAt, id", id).stream().map(MessageView::of).toList());
    }

    /** An action item as the API shows it. */
    public record ActionView(UUID id, String description, String owner, java.time.LocalDate dueDate, String state,
            Instant createdAt, String createdBy, Instant doneAt, String doneBy, String doneNote) {
        static ActionView of(ai.loopgpt.dr.recovery.incident.PostmortemAction a, java.time.LocalDate today) {
            return new ActionView(a.id, a.description, a.owner, a.dueDate, a.state(today).name().toLowerCase(),
                    a.createdAt, a.createdBy, a.doneAt, a.doneBy, a.doneNote);
        }
    }

    /** Body of closing an action item (optional). */
    public record ActionDone(@Size(max = 2000) String note) {
    }

    @GET
    @Path("/{id}/postmortem/actions")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "listPostmortemActions",
            summary = "Lists a post-mortem's action items, each open, overdue (past its due date) or done")
    public List<ActionView> actions(@PathParam("id") UUID id) {
        java.time.LocalDate today = postmortems.today();
        return postmortems.actions(id).stream().map(a -> ActionView.of(a, today)).toList();
    }

    @POST
    @Path("/{id}/postmortem/actions/{action}/done")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "closePostmortemAction",
            summary = "Closes an action item with a note (once; a second close is 409)")
    public ActionView actionDone(@PathParam("id") UUID id, @PathParam("action") UUID action, @Valid ActionDone body) {
        String note = body == null || body.note() == null || body.note().isBlank() ? null : body.note().strip();
        return ActionView.of(postmortems.done(id, action, note, Callers.subject(identity)), postmortems.today());
    }

    @POST
    @Path("/{id}/postmortem/actions/{action}/done")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    // The same OpenAPI operation as actionDone(...) (same path and method), whose operationId it keeps.
    @Operation(summary = "Closes an action item (once; a second close is 409)")
    public ActionView actionDoneWithoutBody(@PathParam("id") UUID id, @PathParam("action") UUID action) {
        return ActionView.of(postmortems.done(id, action, null, Callers.subject(identity)), postmortems.today());
    }

    @POST
    @Path("/{id}/postmortem/complete")
    @RolesAllowed({Roles.OPERATOR, Roles.SERVICE})
    @Operation(operationId = "completePostmortem", summary = "Completes the post-mortem with the meeting's conclusions")
    public Map<String, Object> complete(@PathParam("id") UUID id, @Valid @NotNull Completion body) {
        ai.loopgpt.dr.recovery.incident.Postmortem p = postmortems.complete(id, body.summary().strip(), Callers.subject(identity));
        return Map.of("incidentId", p.incidentId, "dueAt", p.dueAt, "completedAt", p.completedAt,
                "completedBy", p.completedBy);
    }

    @GET
    @Path("/{id}/timeline")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Operation(operationId = "getIncidentTimeline",
            summary = "The incident's timeline: declaration, steps done and started, resolution")
    public List<EventView> timeline(@PathParam("id") UUID id) {
        return incidents.timeline(id).stream().map(EventView::of).toList();
    }

}
