package ai.loopgpt.dr.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A second suite started with another --port-offset gets its own drctl context, never the first one's. */
class ContextNameTest {

    @Test
    void theDefaultSuiteIsLocalAndAnOffsetOneIsNamedAfterItsOffset() {
        assertEquals("local", new Launcher(Options.parse(new String[0])).contextName());
        assertEquals("local-100", new Launcher(Options.parse(new String[] {"--port-offset", "100"})).contextName());
    }
}
