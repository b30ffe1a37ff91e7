package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Prints answers: aligned tables for people, the API's own JSON or YAML for scripts ({@code -o}). */
public final class Output {

    /** The {@code -o} choices. */
    public enum Format {
        table, json, yaml
    }

    /**
     * A column: its header and how a row's cell is read from an item. A cell may read a field with
     * {@link Json#require} and its typed forms: an item without it makes the answer unexpected.
     */
    public record Column(String header, Function<JsonNode, String> cell) {
        /** An optional field: "-" when the item has none. */
        public static Column of(String header, String field) {
            return new Column(header, n -> Json.text(n, field));
        }

        /** A field every item must have. */
        public static Column required(String header, String field) {
            return new Column(header, n -> Json.requireText(n, field));
        }

        public static Column time(String header, String field) {
            return new Column(header, n -> Text.time(Json.text(n, field)));
        }

        /** A list field, its items joined by commas ("" when it has none). */
        public static Column joined(String header, String field) {
            return new Column(header, n -> {
                StringBuilder s = new StringBuilder();
                n.path(field).forEach(item -> s.append(s.isEmpty() ? "" : ",").append(item.asText()));
                return s.toString();
            });
        }
    }

    private final PrintWriter out;
    private final Format format;

    public Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    public Format format() {
        return format;
    }

    public boolean forPeople() {
        return format == Format.table;
    }

    /**
     * A list (or a page's {@code items}) as a table, or the whole answer as JSON/YAML. For a table
     * the answer {@code from} sent must be a list or a page of objects with the columns' required
     * fields; else nothing is printed and the command ends with exit 1.
     */
    public void list(Service from, JsonNode answer, List<Column> columns) {
        if (!forPeople()) {
            raw(answer);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        Long total;
        try {
            boolean page = answer != null && answer.isObject();
            JsonNode items = page ? Json.require(answer, "items") : answer;
            if (items == null || !items.isArray()) {
                throw new Json.UnexpectedDocument(page ? "'items' is " + Json.kind(items) + ", not a list"
                        : "expected a list or a page with 'items', got " + Json.kind(items));
            }
            total = page ? Json.number(answer, "total") : null;
            for (int n = 0; n < items.size(); n++) {
                JsonNode item = items.get(n);
                String where = page ? "items[" + n + "]" : "item " + n;
                try {
                    Json.requireObject(item);
                    String[] row = new String[columns.size()];
                    for (int i = 0; i < columns.size(); i++) {
                        String cell = columns.get(i).cell().apply(item);
                        row[i] = cell == null || cell.isEmpty() ? "-" : Text.printable(cell);
                    }
                    rows.add(row);
                } catch (Json.UnexpectedDocument e) {
                    throw e.in(where);
                }
            }
        } catch (Json.UnexpectedDocument e) {
            throw e.from(from);
        }
        if (rows.isEmpty()) {
            out.println("Nothing found.");
        } else {
            table(columns.stream().map(Column::header).toList(), rows);
        }
        if (total != null && total > rows.size()) {
            out.printf("(%d of %d; --page and --size show more)%n", rows.size(), total);
        }
        out.flush();
    }

    /**
     * One object: "key: value" lines for people (nested objects indented), JSON/YAML otherwise. For
     * people the answer {@code from} sent must be an object with the {@code required} fields (texts or
     * numbers).
     */
    public void object(Service from, JsonNode answer, String... required) {
        if (!forPeople()) {
            raw(answer);
            return;
        }
        try {
            Json.requireObject(answer);
            for (String field : required) {
                Json.requireText(answer, field);
            }
        } catch (Json.UnexpectedDocument e) {
            throw e.from(from);
        }
        describe(answer, "");
        out.flush();
    }

    private void describe(JsonNode node, String indent) {
        int width = 0;
        for (var it = node.fieldNames(); it.hasNext(); ) {
            width = Math.max(width, it.next().length());
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull() || (value.isContainerNode() && value.isEmpty())) {
                continue;
            }
            if (value.isObject()) {
                out.println(indent + field.getKey() + ":");
                describe(value, indent + "  ");
            } else if (value.isArray()) {
                boolean simple = true;
                for (JsonNode v : value) {
                    simple &= v.isValueNode();
                }
                if (simple) {
                    List<String> items = new ArrayList<>();
                    value.forEach(v -> items.add(Text.printable(v.asText())));
                    out.printf("%s%-" + (width + 1) + "s %s%n", indent, field.getKey() + ":", String.join(", ", items));
                } else {
                    out.println(indent + field.getKey() + ":");
                    for (JsonNode v : value) {
                        out.println(indent + "  -");
                        describe(v, indent + "    ");
                    }
                }
            } else {
                String text = value.asText();
                if (field.getKey().endsWith("At") || field.getKey().equals("deadline")) {
                    text = Text.time(text);
                }
                out.printf("%s%-" + (width + 1) + "s %s%n", indent, field.getKey() + ":", Text.printable(text));
            }
        }
    }

    /** An aligned table. */
    public void table(List<String> headers, List<String[]> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println(line(headers.toArray(String[]::new), widths));
        for (String[] row : rows) {
            out.println(line(row, widths));
        }
        out.flush();
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cells[i].length() + 3));
            }
        }
        return line.toString().stripTrailing();
    }

    /** The answer as JSON or YAML, as the API sent it. */
    public void raw(JsonNode answer) {
        try {
            out.print(format == Format.yaml ? CliConfig.YAML.writeValueAsString(answer)
                    : Json.MAPPER.writeValueAsString(answer) + System.lineSeparator());
        } catch (JsonProcessingException e) {
            throw CliException.error("Cannot print the answer: " + e.getOriginalMessage());
        }
        out.flush();
    }

    public PrintWriter writer() {
        return out;
    }
}
