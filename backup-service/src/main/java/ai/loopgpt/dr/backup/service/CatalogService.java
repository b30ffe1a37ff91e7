package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.storage.BackupManifest;
import ai.loopgpt.dr.backup.storage.BackupStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The catalog (SUCCEEDED backups) is a cache of the manifests in the bucket, and can be rebuilt from them alone. */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    private final BackupStore store;
    private final ObjectMapper json;

    public CatalogService(BackupStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** What a rebuild found and did. */
    public record Report(int manifests, int added, int updated, int removed, List<String> unreadable) {
    }

    public Report rebuild() {
        int added = 0;
        int updated = 0;
        List<String> unreadable = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        List<String> keys = store.manifestKeys();
        for (String key : keys) {
            BackupManifest manifest;
            try {
                manifest = json.readValue(store.get(key), BackupManifest.class);
            } catch (Exception e) {
                unreadable.add(key + ": " + e.getMessage());
                continue;
            }
            seen.add(manifest.backupId());
            boolean isNew = QuarkusTransaction.requiringNew().call(() -> {
                Backup existing = Backup.findById(manifest.backupId());
                if (existing == null) {
                    manifest.toBackup(key).persist();
                    return true;
                }
                manifest.copyInto(existing, key);
                return false;
            });
            if (isNew) {
                added++;
            } else {
                updated++;
            }
        }
        // Catalog entries whose manifest is gone from the bucket no longer describe a restorable backup.
        int removed = QuarkusTransaction.requiringNew().call(() -> {
            List<Backup> gone = Backup.<Backup>list("phase", BackupPhase.SUCCEEDED).stream()
                    .filter(b -> !seen.contains(b.id)).toList();
            gone.forEach(Backup::delete);
            return gone.size();
        });
        LOG.infof("Catalog rebuilt from %d manifests: %d added, %d updated, %d removed, %d unreadable", keys.size(),
                added, updated, removed, unreadable.size());
        return new Report(keys.size(), added, updated, removed, unreadable);
    }
}
