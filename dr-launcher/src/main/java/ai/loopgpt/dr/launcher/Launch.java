package ai.loopgpt.dr.launcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How one service is started, and again after a crash: its environment and JVM system properties. */
final class Launch {

    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> systemProperties = new ArrayList<>();

    Launch env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Launch env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /** A {@code -Dname=value} on the service's command line. */
    Launch property(String name, String value) {
        systemProperties.add("-D" + name + "=" + value);
        return this;
    }

    Map<String, String> env() {
        return Collections.unmodifiableMap(env);
    }

    List<String> systemProperties() {
        return Collections.unmodifiableList(systemProperties);
    }
}
