package ai.loopgpt.dr.backup.service;

import ai.loopgpt.dr.backup.Backup;
import ai.loopgpt.dr.backup.BackupPhase;
import ai.loopgpt.dr.backup.storage.BackupManifest;
import ai.loopgpt.dr.backup.storage.BackupStore;
import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import ai.loopgpt.dr.common.retry.Failures;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

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

    /**
     * What a rebuild found and did. {@code unreadable}: manifests that could not be read or parsed;
     * {@code unverified}: catalog entries missing from the listing that could not be confirmed gone
     * (S3 answered with an error): both are kept and reported, never removed.
     */
    public record Report(int manifests, int added, int updated, int removed, List<String> unreadable,
            List<String> unverified) {
    }

    /**
     * Reads every manifest back from the bucket into the catalog. A catalog entry is removed only
     * when S3 answers 404 for its manifest (the catalog is a cache of the manifests); S3 failing
     * part-way is a 503 that changes nothing, and an unreadable manifest is reported, never removed.
     */
    public Report rebuild() {
        List<String> keys;
        try {
            keys = store.manifestKeys();
        } catch (SdkException e) {
            throw unavailable("listing the bucket", e);
        }
        int added = 0;
        int updated = 0;
        List<String> unreadable = new ArrayList<>();
        for (String key : keys) {
            BackupManifest manifest;
            try {
                manifest = json.readValue(store.get(key), BackupManifest.class);
            } catch (SdkException e) {
                // S3 failing now says nothing about the manifest: stop before anything is decided on partial reads.
                throw unavailable("reading " + key, e);
            } catch (Exception e) {
                unreadable.add(key + ": " + Failures.describe(e));
                continue;
            }
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
        // Entries the listing did not show: removed only once S3 says both files are really gone.
        Set<String> listed = new HashSet<>(keys);
        List<Backup> missing = QuarkusTransaction.requiringNew().call(() -> Backup.<Backup>list("phase",
                BackupPhase.SUCCEEDED).stream().filter(b -> b.manifestKey == null || !listed.contains(b.manifestKey)).toList());
        List<String> unverified = new ArrayList<>();
        int removed = 0;
        for (Backup b : missing) {
            boolean objectLeft;
            try {
                if (b.manifestKey != null && store.exists(b.manifestKey)) {
                    unverified.add(b.id + ": not listed, but its manifest is still in the bucket");
                    continue;
                }
                objectLeft = b.objectKey != null && store.exists(b.objectKey);
            } catch (SdkException e) {
                unverified.add(b.id + ": " + Failures.describe(e));
                continue;
            }
            QuarkusTransaction.requiringNew().run(() -> Backup.deleteById(b.id));
            removed++;
            LOG.infof("Catalog entry %s removed: S3 says its manifest %s is gone%s", b.id, b.manifestKey,
                    objectLeft ? " (its object " + b.objectKey + " is still there, without a manifest)" : "");
        }
        LOG.infof("Catalog rebuilt from %d manifests: %d added, %d updated, %d removed, %d unreadable, %d unverified",
                keys.size(), added, updated, removed, unreadable.size(), unverified.size());
        return new Report(keys.size(), added, updated, removed, unreadable, unverified);
    }

    private static ProblemException unavailable(String doing, SdkException e) {
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "S3 failed while " + doing + " ("
                + Failures.describe(e) + "); the catalog was left as it was. Retry the rebuild when the bucket answers.");
    }
}
