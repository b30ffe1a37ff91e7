package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the commands send: the request each command line makes (method, path, JSON body) to a
 * loopback HTTP server standing for recovery-service, and the command lines refused before any call.
 */
class RequestsTest {

    static final String INCIDENT = "5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60";
    static final String INCIDENTS = "/api/v1/incidents/" + INCIDENT;

    HttpReceiver recovery;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        recovery = new HttpReceiver();
        recovery.script("/api/v1/restores", Answer.of(202, "{\"id\":\"r-1\",\"phase\":\"PENDING\"}"));
        recovery.script("/api/v1/incidents", Answer.of(201, "{\"id\":\"" + INCIDENT + "\"}"));
        recovery.script(INCIDENTS, Answer.of(200, "{\"id\":\"" + INCIDENT + "\",\"affectedTargets\":[\"loopgpt\"]}"));
        for (String step : List.of("restore-database", "rollback-deployment", "resume-operations", "notify-users",
                "check-database-status")) {
            recovery.script(INCIDENTS + "/steps/" + step, Answer.of(200, "{\"kind\":\"step\",\"step\":\"" + step + "\"}"));
        }
        recovery.script(INCIDENTS + "/breach/notice", Answer.of(202, "{\"kind\":\"step\",\"step\":\"notify-users\"}"));
        recovery.script(INCIDENTS + "/postmortem/actions", Answer.of(201, "{\"id\":\"a-1\"}"));
        recovery.script(INCIDENTS + "/postmortem/actions/a-1/done", Answer.of(200, "{\"id\":\"a-1\",\"state\":\"done\"}"));
        recovery.script(INCIDENTS + "/postmortem/complete", Answer.of(200, "{\"incidentId\":\"" + INCIDENT + "\"}"));
        recovery.script("/api/v1/providers/instacart/queue", Answer.of(201, "{\"provider\":\"instacart\",\"queuedItems\":120}"));
    }

    @AfterEach
    void stop() {
        recovery.close();
    }

    InProcessDrctl.Run drctl(String... args) {
        return InProcessDrctl.run(InProcessDrctl.env(dir.resolve("none.yaml"), "DRCTL_RECOVERY_URL", recovery.url("")),
                args);
    }

    static Stream<Arguments> commandLines() {
        return Stream.of(
                Arguments.of("restore create --target loopgpt --latest --destination loopgpt",
                        "POST", "/api/v1/restores", "{\"latest\":true,\"target\":\"loopgpt\",\"destination\":\"loopgpt\"}"),
                Arguments.of("restore create --backup 0b6a6c36-3b5e-4a53-9d8e-2f0d7f1c9a10 --destination loopgpt --in-place "
                        + "--confirm loopgpt", "POST", "/api/v1/restores", "{\"backupId\":\"0b6a6c36-3b5e-4a53-9d8e-2f0d7f1c9a10\","
                        + "\"destination\":\"loopgpt\",\"mode\":\"in-place\",\"confirm\":\"loopgpt\"}"),
                Arguments.of("restore create -t loopgpt --latest-before 2026-11-28T08:00:00Z -d loopgpt",
                        "POST", "/api/v1/restores",
                        "{\"latestBefore\":\"2026-11-28T08:00:00Z\",\"target\":\"loopgpt\",\"destination\":\"loopgpt\"}"),
                Arguments.of("restore create --target loopgpt --to-time 2026-12-06T05:47:13.250Z --destination loopgpt",
                        "POST", "/api/v1/restores",
                        "{\"toTime\":\"2026-12-06T05:47:13.250Z\",\"target\":\"loopgpt\",\"destination\":\"loopgpt\"}"),
                Arguments.of("incident declare --title Down --scenario database-failure --severity MAJOR "
                        + "--role incident-commander=alice --role technicalLead=bob --role Communications-Lead=carol",
                        "POST", "/api/v1/incidents", "{\"title\":\"Down\",\"scenario\":\"database-failure\",\"severity\":\"MAJOR\","
                        + "\"roles\":{\"incidentCommander\":\"alice\",\"technicalLead\":\"bob\",\"communicationsLead\":\"carol\"}}"),
                Arguments.of("incident step " + INCIDENT + " restore-database --latest --destination loopgpt --note quick",
                        "POST", INCIDENTS + "/steps/restore-database",
                        "{\"restore\":{\"latest\":true,\"target\":\"loopgpt\",\"destination\":\"loopgpt\"},\"note\":\"quick\"}"),
                Arguments.of("incident step " + INCIDENT + " restore-database --backup b-1 -d scratch --mode drill",
                        "POST", INCIDENTS + "/steps/restore-database",
                        "{\"restore\":{\"backupId\":\"b-1\",\"destination\":\"scratch\",\"mode\":\"drill\"}}"),
                Arguments.of("incident step " + INCIDENT + " rollback-deployment --deployment loopgpt/api --to-revision 41",
                        "POST", INCIDENTS + "/steps/rollback-deployment",
                        "{\"rollback\":{\"namespace\":\"loopgpt\",\"deployment\":\"api\",\"toRevision\":41}}"),
                Arguments.of("incident step " + INCIDENT + " resume-operations --component orders=operational "
                        + "--component api=degraded_performance", "POST", INCIDENTS + "/steps/resume-operations",
                        "{\"components\":{\"orders\":\"operational\",\"api\":\"degraded_performance\"}}"),
                Arguments.of("incident step " + INCIDENT + " notify-users -m Back.", "POST", INCIDENTS + "/steps/notify-users",
                        "{\"update\":{\"status\":\"monitoring\",\"body\":\"Back.\"}}"),
                Arguments.of("incident step " + INCIDENT + " check-database-status --note gone", "POST",
                        INCIDENTS + "/steps/check-database-status", "{\"note\":\"gone\"}"),
                Arguments.of("incident breach-notice " + INCIDENT + " --audience status-subscribers --data-concerned emails "
                        + "--actions-taken rotated --user-actions beware --contact privacy@loopgpt.ai", "POST",
                        INCIDENTS + "/breach/notice", "{\"audience\":\"status-subscribers\",\"dataConcerned\":\"emails\","
                        + "\"actionsTaken\":\"rotated\",\"userActions\":\"beware\",\"contact\":\"privacy@loopgpt.ai\"}"),
                Arguments.of("incident postmortem action add " + INCIDENT + " --description replica --owner alice "
                        + "--due 2026-12-20", "POST", INCIDENTS + "/postmortem/actions",
                        "{\"description\":\"replica\",\"owner\":\"alice\",\"dueDate\":\"2026-12-20\"}"),
                Arguments.of("incident postmortem action done " + INCIDENT + " a-1", "POST",
                        INCIDENTS + "/postmortem/actions/a-1/done", "{}"),
                Arguments.of("incident postmortem action done " + INCIDENT + " a-1 --note 'replica up'", "POST",
                        INCIDENTS + "/postmortem/actions/a-1/done", "{\"note\":\"replica up\"}"),
                Arguments.of("incident postmortem complete " + INCIDENT + " --summary agreed", "POST",
                        INCIDENTS + "/postmortem/complete", "{\"summary\":\"agreed\"}"),
                Arguments.of("provider queue instacart --orders 120 --note checkout", "POST",
                        "/api/v1/providers/instacart/queue", "{\"items\":120,\"note\":\"checkout\"}"),
                Arguments.of("provider processed instacart", "DELETE", "/api/v1/providers/instacart/queue", ""));
    }

    @ParameterizedTest(name = "drctl {0}")
    @MethodSource("commandLines")
    void aCommandLineSendsItsRequest(String commandLine, String method, String path, String body) throws Exception {
        recovery.script("/api/v1/providers/instacart/queue", Answer.of(200, "{\"provider\":\"instacart\"}"));
        InProcessDrctl.Run run = drctl(ShellWords.split(commandLine).toArray(String[]::new));

        assertThat(run.exit()).as(run.toString()).isZero();
        List<HttpReceiver.Request> sent = recovery.requests(path).stream().filter(r -> !r.method().equals("GET")).toList();
        assertThat(sent.size()).as(run.toString()).isEqualTo(1);
        assertThat(sent.get(0).method()).isEqualTo(method);
        if (body.isEmpty()) {
            assertThat(sent.get(0).body()).isEqualTo("");
        } else {
            assertThat(Json.MAPPER.readTree(sent.get(0).body())).isEqualTo(Json.MAPPER.readTree(body));
        }
    }

    @ParameterizedTest(name = "drctl {0}")
    @MethodSource("refusedCommandLines")
    void aWrongCommandLineIsRefusedBeforeAnyCall(String commandLine, String message) {
        InProcessDrctl.Run run = drctl(ShellWords.split(commandLine).toArray(String[]::new));

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message);
        assertThat(recovery.requests("/api/v1/restores").size()).isZero();
    }

    static Stream<Arguments> refusedCommandLines() {
        return Stream.of(
                Arguments.of("restore create --target loopgpt --latest --backup b-1 --destination loopgpt", "mutually exclusive"),
                Arguments.of("restore create --target loopgpt --destination loopgpt", "Missing required argument"),
                Arguments.of("restore create --latest --destination loopgpt", "--latest needs --target."),
                Arguments.of("incident declare --title Down --scenario database-failure --severity MAJOR --role ceo=alice",
                        "--role: 'ceo' is not one of the plan's roles: incident-commander, technical-lead"),
                Arguments.of("incident step " + INCIDENT + " restore-database --latest --component orders=operational",
                        "are for different steps"),
                Arguments.of("incident step " + INCIDENT + " restore-database --latest", "Missing --destination"),
                Arguments.of("incident step " + INCIDENT + " restore-database --destination loopgpt",
                        "needs --latest, --latest-before TIME, --to-time TIME or --backup ID"),
                Arguments.of("incident step " + INCIDENT + " rollback-deployment --deployment api", "--deployment is NAMESPACE/NAME"),
                Arguments.of("incident step " + INCIDENT + " notify-users --status identified", "Missing -m/--message"),
                Arguments.of("incident step " + INCIDENT + " notify-users -m Back. --wait", "--wait follows a restore"),
                Arguments.of("incident step " + INCIDENT + " restore-database --body {} --latest -d loopgpt", "--body is the step's whole body"),
                Arguments.of("incident postmortem action add " + INCIDENT + " --description d --owner o --due 20/12/2026",
                        "--due '20/12/2026' is not a date"));
    }

    @Test
    void aRestoreStepWithWaitFollowsTheRestoreItStarted() {
        recovery.script(INCIDENTS + "/steps/restore-database", Answer.of(202, "{\"kind\":\"step\",\"step\":\"restore-database\","
                + "\"outcome\":\"started\",\"link\":\"/api/v1/restores/r-1\"}"));
        recovery.script("/api/v1/restores/r-1", Answer.of(200, "{\"id\":\"r-1\",\"phase\":\"SUCCEEDED\","
                + "\"restoredDatabase\":\"loopgpt_restore_1\",\"tableRows\":{\"public.users\":200}}"));

        InProcessDrctl.Run run = drctl("incident", "step", INCIDENT, "restore-database", "--target", "loopgpt", "--latest",
                "--destination", "loopgpt", "--wait");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("outcome: started").contains("phase:").contains("SUCCEEDED")
                .containsPattern("public\\.users\\s+200");
        assertThat(recovery.requests(INCIDENTS).size()).as("no GET of the incident: --target was given").isZero();

        recovery.script("/api/v1/restores/r-1", Answer.of(200, "{\"id\":\"r-1\",\"phase\":\"FAILED\",\"failureReason\":\"disk full\"}"));
        InProcessDrctl.Run failed = drctl("incident", "step", INCIDENT, "restore-database", "--latest",
                "--destination", "loopgpt", "-w", "-o", "json");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(failed.out()).startsWith("{").contains("\"phase\" : \"FAILED\"").doesNotContain("\"kind\"");
        assertThat(failed.err()).contains("ended FAILED: disk full");
    }

    @Test
    void aRestoreStepNeedsATargetWhenTheIncidentHasNotOne() {
        recovery.script(INCIDENTS, Answer.of(200, "{\"id\":\"" + INCIDENT + "\",\"affectedTargets\":[\"loopgpt\",\"billing\"]}"));

        InProcessDrctl.Run run = drctl("incident", "step", INCIDENT, "restore-database", "--latest", "--destination", "loopgpt");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Give --target: the incident has 2 affected targets (loopgpt, billing).");
        assertThat(recovery.requests(INCIDENTS + "/steps/restore-database").size()).isZero();
    }

    @Test
    void postmortemActionsAreListedWithTheirState() {
        recovery.script(INCIDENTS + "/postmortem/actions", Answer.of(200, "[{\"id\":\"a-1\",\"description\":\"Replica in a "
                + "second zone\",\"owner\":\"alice\",\"dueDate\":\"2026-12-20\",\"doneAt\":null,\"state\":\"overdue\"},"
                + "{\"id\":\"a-2\",\"description\":\"Alert on disk\",\"owner\":\"bob\",\"dueDate\":\"2026-12-30\","
                + "\"doneAt\":\"2026-12-05T10:00:00Z\",\"state\":\"done\"}]"));
        recovery.script(INCIDENTS + "/postmortem", Answer.of(200, "# Post-mortem: Orders database down\n\n| a | b |\n"));

        InProcessDrctl.Run list = drctl("incident", "postmortem", "action", "list", INCIDENT);
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("ID\\s+STATE\\s+DUE\\s+OWNER\\s+DONE\\s+DESCRIPTION")
                .containsPattern("a-1\\s+overdue\\s+2026-12-20\\s+alice\\s+-\\s+Replica in a second zone")
                .containsPattern("a-2\\s+done\\s+2026-12-30\\s+bob\\s+2026-12-05 10:00:00Z\\s+Alert on disk");

        InProcessDrctl.Run show = drctl("incident", "postmortem", "show", INCIDENT);
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).isEqualTo("# Post-mortem: Orders database down\n\n| a | b |\n");
        assertThat(recovery.requests(INCIDENTS + "/postmortem").get(0).header("Accept")).contains("text/markdown");
    }

    @Test
    void providersAreListedByPriority() {
        recovery.script("/api/v1/providers", Answer.of(200, "[{\"name\":\"instacart\",\"priority\":1,\"component\":"
                + "\"instacart\",\"down\":true,\"incidentId\":\"" + INCIDENT + "\",\"queuedItems\":120},"
                + "{\"name\":\"shipt\",\"priority\":2,\"component\":\"shipt\",\"down\":false,\"incidentId\":null,\"queuedItems\":0}]"));

        InProcessDrctl.Run run = drctl("provider", "list");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("instacart\\s+1\\s+instacart\\s+DOWN\\s+" + INCIDENT + "\\s+120")
                .containsPattern("shipt\\s+2\\s+shipt\\s+up\\s+-\\s+0");
    }
}
