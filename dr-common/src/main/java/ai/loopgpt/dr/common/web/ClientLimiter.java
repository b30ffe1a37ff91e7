package ai.loopgpt.dr.common.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} requests per client (an IP address, say) in a fixed window, in memory. For
 * public endpoints that cost something (a mail): what is over the limit is answered the same way and
 * does nothing. Each replica counts alone, so N replicas allow N times the limit: a bound, not a quota.
 */
public final class ClientLimiter {

    private static final int MAX_CLIENTS = 100_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> clients = new ConcurrentHashMap<>();

    public ClientLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    private record Window(Instant start, int count) {
    }

    /** Counts a request of {@code client}; false when it is over the limit. */
    public boolean allow(String client) {
        Instant now = clock.instant();
        if (clients.size() > MAX_CLIENTS) {
            forgetOld(now);
        }
        Window counted = clients.compute(client, (key, w) -> w == null || !now.isBefore(w.start().plus(window))
                ? new Window(now, 1) : new Window(w.start(), w.count() + 1));
        return counted.count() <= limit;
    }

    private void forgetOld(Instant now) {
        for (Iterator<Window> it = clients.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().start().plus(window))) {
                it.remove();
            }
        }
        if (clients.size() > MAX_CLIENTS) {
            clients.clear(); // A flood of distinct clients: start counting again rather than grow without bound.
        }
    }
}
