package ai.loopgpt.dr.recovery;

import ai.loopgpt.dr.testing.MessagePeersResource;
import ai.loopgpt.dr.testing.ServiceProcess;
import ai.loopgpt.dr.testing.Tokens;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers an incident talks to, for real ({@link MessagePeersResource}). Users are the audience
 * {@code users} (email), the team is {@code team} (Slack #incidents), game days go to {@code gameday}
 * (email).
 */
public class CommunicationPeersResource extends MessagePeersResource {

    public static final String USERS = "users@loopgpt.test";
    static final String GAME_DAY = "gameday@loopgpt.test";

    @Override
    protected List<Audience> audiences() {
        return List.of(Audience.email("users", USERS), Audience.slack("team", "incidents"),
                Audience.email("gameday", GAME_DAY));
    }

    @Override
    protected Map<String, String> configuration(ServiceProcess notifications, ServiceProcess status) {
        Map<String, String> config = new HashMap<>();
        config.put("recovery.communication.status-url", status.url());
        config.put("recovery.communication.notification-url", notifications.url());
        config.put("recovery.communication.token", Tokens.as("system:serviceaccount:dr:recovery-service", "dr-service"));
        config.put("recovery.communication.users-audience", "users");
        config.put("recovery.communication.team-audience", "team");
        config.put("recovery.communication.outbox-every", "1s");
        config.put("recovery.communication.drill-audience", "gameday");
        config.put("recovery.communication.drill-channels", "email");
        // The tests check the cadence themselves, at the times they set.
        config.put("recovery.communication.cadence-check-every", "off");
        return config;
    }
}
