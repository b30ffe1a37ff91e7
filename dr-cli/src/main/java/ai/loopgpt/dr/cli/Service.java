package ai.loopgpt.dr.cli;

/** The suite's four services as drctl reaches them: config key, environment override, local default. */
public enum Service {
    BACKUP("backup-service", "backup-url", "DRCTL_BACKUP_URL", "http://localhost:8081"),
    RECOVERY("recovery-service", "recovery-url", "DRCTL_RECOVERY_URL", "http://localhost:8082"),
    NOTIFICATION("notification-service", "notification-url", "DRCTL_NOTIFICATION_URL", "http://localhost:8083"),
    STATUS("status-service", "status-url", "DRCTL_STATUS_URL", "http://localhost:8084");

    private final String title;
    private final String configKey;
    private final String environmentVariable;
    private final String defaultUrl;

    Service(String title, String configKey, String environmentVariable, String defaultUrl) {
        this.title = title;
        this.configKey = configKey;
        this.environmentVariable = environmentVariable;
        this.defaultUrl = defaultUrl;
    }

    public String title() {
        return title;
    }

    public String configKey() {
        return configKey;
    }

    public String environmentVariable() {
        return environmentVariable;
    }

    public String defaultUrl() {
        return defaultUrl;
    }

    /** The service named by a short name: backup, recovery, notification, status. */
    public static Service named(String name) {
        for (Service s : values()) {
            if (s.name().equalsIgnoreCase(name) || s.title.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new CliException(ExitCodes.USAGE, "Unknown service '" + Text.printable(name)
                + "': use backup, recovery, notification or status.");
    }
}
