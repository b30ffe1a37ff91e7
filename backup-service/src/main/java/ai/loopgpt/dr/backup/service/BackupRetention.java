package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.BackupKind;
import ai.loopgpt.dr.backup.config.BackupSettings;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The retention a new backup gets from its kind: automatic backups keep {@code automatic-days},
 * manual and pre-change ones {@code manual-days}, drill backups {@code drill-days}.
 *
 * @param retentionClass what the catalog and the manifest call it: automatic, manual or drill
 */
public record BackupRetention(String retentionClass, int days) {

    public static BackupRetention of(BackupKind kind, BackupSettings.Retention settings) {
        return switch (kind) {
            case AUTOMATIC -> new BackupRetention("automatic", settings.automaticDays());
            case MANUAL, PRE_CHANGE -> new BackupRetention("manual", settings.manualDays());
            case DRILL -> new BackupRetention("drill", settings.drillDays());
        };
    }

    /** When a backup kept from {@code from} expires. */
    public Instant expiresAt(Instant from) {
        return from.plus(days, ChronoUnit.DAYS);
    }
}
