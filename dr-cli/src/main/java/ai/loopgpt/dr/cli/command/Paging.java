package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import java.util.Map;
import picocli.CommandLine.Option;

/** --page and --size of list commands. */
public class Paging {
    @Option(names = "--page", defaultValue = "0", description = "Page, from 0 (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--size", defaultValue = "20", description = "Items per page (default: ${DEFAULT-VALUE}, at most 500).")
    int size;

    /** The list's query: {@code filters} (name, value…; null values left out), then page and size. */
    Map<String, Object> query(Object... filters) {
        Map<String, Object> query = Api.query(filters);
        query.put("page", page);
        query.put("size", size);
        return query;
    }
}
