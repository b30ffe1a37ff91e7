package ai.loopgpt.dr.common.security;

import java.util.List;
import java.util.Set;

/**
 * The suite's roles, carried in the token's groups claim.
 *
 * <p>They are ordered: {@code dr-admin} may do everything {@code dr-operator} may, which may do
 * everything {@code dr-viewer} may ({@link RoleHierarchyAugmentor} adds the implied roles).
 * {@code dr-service} stands apart: services calling each other get exactly what an endpoint grants
 * them by name.
 */
public final class Roles {

    /** Read: list and show. */
    public static final String VIEWER = "dr-viewer";
    /** Act: start backups and restores, post incident updates. */
    public static final String OPERATOR = "dr-operator";
    /** Destructive: in-place restores, deletions, downloads of backup data. */
    public static final String ADMIN = "dr-admin";
    /** Service-to-service calls and Kubernetes CronJobs. */
    public static final String SERVICE = "dr-service";

    /** From most to least powerful, dr-service last. */
    public static final List<String> ALL = List.of(ADMIN, OPERATOR, VIEWER, SERVICE);

    private Roles() {
    }

    /** The roles a holder of {@code granted} has once the hierarchy is applied. */
    public static Set<String> implied(Set<String> granted) {
        var roles = new java.util.LinkedHashSet<>(granted);
        if (roles.contains(ADMIN)) {
            roles.add(OPERATOR);
        }
        if (roles.contains(OPERATOR)) {
            roles.add(VIEWER);
        }
        return roles;
    }

    /** The most powerful suite role among {@code roles}, or {@code "none"}. */
    public static String highest(Set<String> roles) {
        return ALL.stream().filter(roles::contains).findFirst().orElse("none");
    }
}
