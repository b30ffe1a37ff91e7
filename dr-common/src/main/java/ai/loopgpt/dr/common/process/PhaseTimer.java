package ai.loopgpt.dr.common.process;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times the consecutive phases of a long operation (a backup, a restore): each {@link #end} records
 * the milliseconds since the previous one, so the phases add up to the operation's wall time.
 * Thread-safe: a watchdog may read it while the worker writes it.
 */
public final class PhaseTimer {

    private final Map<String, Long> phases = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Ends phase {@code name} now (added to it if it ran before) and starts the next one. */
    public synchronized void end(String name) {
        long now = System.nanoTime();
        phases.merge(name, (now - mark) / 1_000_000, Long::sum);
        mark = now;
    }

    /** The phases so far, in the order they ran: name to milliseconds. */
    public synchronized Map<String, Long> phases() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }
}
