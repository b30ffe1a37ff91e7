package ai.loopgpt.dr.helm;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a Role grants: resource to verbs (API group "apps" only, as the rollback Role has). */
final class RollbackRbac {

    private RollbackRbac() {
    }

    static Map<String, List<String>> grants(Role role) {
        Map<String, List<String>> grants = new TreeMap<>();
        for (PolicyRule rule : role.getRules()) {
            if (!rule.getApiGroups().equals(List.of("apps"))) {
                throw new AssertionError("a rule outside the apps API group: " + rule);
            }
            for (String resource : rule.getResources()) {
                grants.computeIfAbsent(resource, r -> new ArrayList<>()).addAll(rule.getVerbs());
            }
        }
        return grants;
    }

    /** Whether {@code role} allows {@code verb} on {@code resource}. */
    static boolean allows(Role role, String resource, String verb) {
        return grants(role).getOrDefault(resource, List.of()).contains(verb);
    }
}
