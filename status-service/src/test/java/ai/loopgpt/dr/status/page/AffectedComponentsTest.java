package ai.loopgpt.dr.status.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an incident page names what was hit: the page's names, in page order, as a sentence. */
class AffectedComponentsTest {

    private static final Map<String, String> SHOWN = new LinkedHashMap<>();

    static {
        SHOWN.put("api", "API");
        SHOWN.put("database", "Database");
        SHOWN.put("orders", "Orders");
    }

    @Test
    void namesComeInPageOrderJoinedAsASentence() {
        assertEquals("API", PageRenderer.affected(List.of("api"), SHOWN));
        assertEquals("Database and Orders", PageRenderer.affected(List.of("orders", "database"), SHOWN));
        assertEquals("API, Database and Orders", PageRenderer.affected(List.of("orders", "api", "database"), SHOWN));
    }

    @Test
    void componentsThePageDoesNotShowAreNotNamed() {
        assertEquals("Orders", PageRenderer.affected(List.of("backups", "orders"), SHOWN));
        assertNull(PageRenderer.affected(List.of("backups"), SHOWN));
        assertNull(PageRenderer.affected(List.of(), SHOWN));
    }
}
