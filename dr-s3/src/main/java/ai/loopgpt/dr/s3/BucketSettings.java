package ai.loopgpt.dr.s3;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the suite keeps its backups. Credentials come from the AWS SDK's usual sources (environment, Secret). */
@ConfigMapping(prefix = "dr.s3")
public interface BucketSettings {

    /** The bucket holding backups and their manifests. */
    @WithDefault("loopgpt-dr-backups")
    String bucket();
}
