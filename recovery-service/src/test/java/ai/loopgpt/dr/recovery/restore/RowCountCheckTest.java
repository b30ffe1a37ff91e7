package ai.loopgpt.dr.recovery.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowCountCheckTest {

    @Test
    void equalCountsHaveNoDifference() {
        assertEquals(List.of(), RowCountCheck.differences(Map.of("public.orders", 3L), Map.of("public.orders", 3L)));
    }

    @Test
    void eachDifferenceNamesTheTableBothCountsOrAMissingTableInTheManifestsOrder() {
        Map<String, Long> manifest = new LinkedHashMap<>();
        manifest.put("public.orders", 3L);
        manifest.put("public.items", 10L);
        manifest.put("public.users", 2L);
        assertEquals(List.of("public.orders (manifest 3, restored 2)", "public.users (manifest 2, restored missing)"),
                RowCountCheck.differences(manifest, Map.of("public.orders", 2L, "public.items", 10L)));
    }
}
