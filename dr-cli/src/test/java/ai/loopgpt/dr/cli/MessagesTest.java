package ai.loopgpt.dr.cli;

import static ai.loopgpt.dr.cli.Check.assertThat;

import ai.loopgpt.dr.testing.HttpReceiver;
import ai.loopgpt.dr.testing.HttpReceiver.Answer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drctl incident messages ID} against a loopback HTTP server standing for recovery-service:
 * the call it makes, the table, and exit 2 when a message is dead (taken or delivered), whatever -o.
 */
class MessagesTest {

    static final String INCIDENT = "5f0c2a5e-8a7e-4d8b-9d6a-1c2b3d4e5f60";
    static final String MESSAGES = "/api/v1/incidents/" + INCIDENT + "/messages";

    static final String SENT = "{\"id\":\"m-1\",\"peer\":\"status\",\"what\":\"POST /api/v1/incidents\",\"audience\":null,"
            + "\"createdAt\":\"2026-11-28T08:00:01.123456Z\",\"state\":\"sent\",\"sentAt\":\"2026-11-28T08:00:02Z\","
            + "\"error\":null,\"delivery\":null,\"deliveryDetail\":null}";
    static final String DELIVERED = "{\"id\":\"m-2\",\"peer\":\"notification\",\"what\":\"incident-declared\","
            + "\"audience\":\"status-subscribers\",\"createdAt\":\"2026-11-28T08:00:03Z\",\"state\":\"sent\","
            + "\"sentAt\":\"2026-11-28T08:00:04Z\",\"error\":null,\"delivery\":\"delivered\",\"deliveryDetail\":\"12 of 12 sent\"}";
    static final String UNDELIVERED = "{\"id\":\"m-3\",\"peer\":\"notification\",\"what\":\"incident-update\","
            + "\"audience\":\"team\",\"createdAt\":\"2026-11-28T08:10:00Z\",\"state\":\"sent\",\"sentAt\":\"2026-11-28T08:10:01Z\","
            + "\"error\":null,\"delivery\":\"dead\",\"deliveryDetail\":\"SMTP relay refused: 550 mailbox unavailable\"}";
    static final String REFUSED = "{\"id\":\"m-4\",\"peer\":\"status\",\"what\":\"POST /api/v1/incidents/s-1/updates\","
            + "\"audience\":null,\"createdAt\":\"2026-11-28T08:11:00Z\",\"state\":\"dead\",\"sentAt\":null,"
            + "\"error\":\"HTTP 422: unknown component\",\"delivery\":null,\"deliveryDetail\":null}";

    HttpReceiver recovery;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        recovery = new HttpReceiver();
    }

    @AfterEach
    void stop() {
        recovery.close();
    }

    InProcessDrctl.Run drctl(String... args) {
        return InProcessDrctl.run(InProcessDrctl.env(dir.resolve("none.yaml"), "DRCTL_RECOVERY_URL", recovery.url("")),
                args);
    }

    @Test
    void theMessagesAreATableAndExitZeroWhenNoneIsDead() {
        recovery.script(MESSAGES, Answer.of(200, "[" + SENT + "," + DELIVERED + "]"));

        InProcessDrctl.Run run = drctl("incident", "messages", INCIDENT);

        assertThat(run.exit()).as(run.toString()).isZero();
        List<HttpReceiver.Request> sent = recovery.requests(MESSAGES);
        assertThat(sent.size()).as(run.toString()).isEqualTo(1);
        assertThat(sent.get(0).method()).isEqualTo("GET");
        assertThat(sent.get(0).header("Authorization")).isEqualTo("Bearer test-token");
        assertThat(run.out()).containsPattern("^CREATED\\s+PEER\\s+WHAT\\s+AUDIENCE\\s+STATE\\s+DELIVERY\\s+DETAIL\n");
        assertThat(run.out()).containsPattern("\n2026-11-28 08:00:01Z\\s+status\\s+POST /api/v1/incidents\\s+-\\s+sent\\s+-\\s+-\n");
        assertThat(run.out()).containsPattern("\n2026-11-28 08:00:03Z\\s+notification\\s+incident-declared\\s+"
                + "status-subscribers\\s+sent\\s+delivered\\s+12 of 12 sent\n");
        assertThat(run.out()).doesNotContain("null");
        assertThat(run.err()).isEqualTo("");
    }

    @Test
    void aMessageNotDeliveredExitsTwoWithItsReason() {
        recovery.script(MESSAGES, Answer.of(200, "[" + SENT + "," + DELIVERED + "," + UNDELIVERED + "]"));

        InProcessDrctl.Run run = drctl("incident", "messages", INCIDENT);

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).containsPattern("incident-update\\s+team\\s+sent\\s+dead\\s+"
                + "SMTP relay refused: 550 mailbox unavailable\n");
        assertThat(run.err()).startsWith("Error: 1 of 3 messages of incident " + INCIDENT + " is dead");
    }

    @Test
    void aMessageRefusedForGoodExitsTwoWithItsError() {
        recovery.script(MESSAGES, Answer.of(200, "[" + REFUSED + "," + UNDELIVERED + "]"));

        InProcessDrctl.Run run = drctl("incident", "messages", INCIDENT);

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).containsPattern("POST /api/v1/incidents/s-1/updates\\s+-\\s+dead\\s+-\\s+HTTP 422: unknown component\n");
        assertThat(run.err()).startsWith("Error: 2 of 2 messages of incident " + INCIDENT + " are dead");
    }

    @Test
    void jsonOutputIsTheAnswerAndStillExitsTwoWhenOneIsDead() throws Exception {
        String answer = "[" + DELIVERED + "," + REFUSED + "]";
        recovery.script(MESSAGES, Answer.of(200, answer));

        InProcessDrctl.Run run = drctl("incident", "messages", INCIDENT, "-o", "json");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(Json.MAPPER.readTree(run.out())).isEqualTo(Json.MAPPER.readTree(answer));
    }

    @Test
    void noMessagesIsNothingFound() {
        recovery.script(MESSAGES, Answer.of(200, "[]"));

        InProcessDrctl.Run run = drctl("incident", "messages", INCIDENT, "-o", "yaml");
        assertThat(run.exit()).as(run.toString()).isZero();

        run = drctl("incident", "messages", INCIDENT);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("Nothing found.\n");
    }

    @Test
    void anAnswerOfTheWrongShapeIsReportedWhateverTheOutput() {
        for (String[] wrong : List.of(
                new String[] {"{\"items\":[]}", "expected a list of messages, got an object."},
                new String[] {"[" + SENT + ",null]", "expected an object, got null in item 1."},
                new String[] {"[{\"id\":\"m-1\",\"peer\":\"status\",\"what\":\"x\",\"createdAt\":\"2026-11-28T08:00:00Z\"}]",
                        "missing 'state' in item 0."},
                new String[] {"[" + SENT.replace("\"delivery\":null", "\"delivery\":{\"dead\":true}") + "]",
                        "'delivery' is an object, not a text in item 0."})) {
            recovery.script(MESSAGES, Answer.of(200, wrong[0]));
            for (String format : List.of("table", "json")) {
                InProcessDrctl.Run run = drctl("incident", "messages", INCIDENT, "-o", format);

                assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
                assertThat(run.err()).as(run.toString())
                        .startsWith("Error: recovery-service answered with an unexpected document: ").contains(wrong[1]);
                assertThat(run.out()).isEqualTo("");
            }
        }
        recovery.script(MESSAGES, Answer.of(200, "[" + SENT.replace("\"peer\":\"status\",", "") + "]"));
        InProcessDrctl.Run run = drctl("incident", "messages", INCIDENT);
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("missing 'peer' in item 0.");
    }
}
