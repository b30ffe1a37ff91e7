package ai.loopgpt.dr.recovery.rollback;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where a rollback's health check may point: the in-cluster services of the rolled-back
 * Deployment's namespace ({@code <service>.<namespace>.svc[.cluster.local]}), and the hosts an
 * operator lists in {@code recovery.health-hosts} ({@code *.example.com} matches its subdomains).
 * Nothing else, so that a rollback cannot be used to make the service fetch arbitrary URLs.
 */
final class HealthUrls {

    private HealthUrls() {
    }

    static boolean allowed(URI url, String namespace, List<String> extraHosts) {
        if (url.getHost() == null) {
            return false;
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        String ns = namespace.toLowerCase(Locale.ROOT);
        if (host.endsWith("." + ns + ".svc") || host.endsWith("." + ns + ".svc.cluster.local")) {
            return true;
        }
        for (String pattern : extraHosts) {
            String p = pattern.strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("*.") ? host.endsWith(p.substring(1)) : host.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
