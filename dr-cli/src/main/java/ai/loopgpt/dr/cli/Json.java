package ai.loopgpt.dr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON as trees only: no data binding, nothing to register for a native image. What drctl renders
 * from an answer it reads with {@link #require} and its typed forms: a missing field or one of the
 * wrong kind is an {@link UnexpectedDocument}, reported as "backup-service answered with an
 * unexpected document: missing 'host'" (exit 1), never printed as "null".
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The text at {@code field} (a dotted path: "progress.bytesRead"), or null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = at(node, field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    public static JsonNode at(JsonNode node, String field) {
        JsonNode current = node;
        for (String part : field.split("\\.")) {
            if (current == null) {
                return null;
            }
            current = current.get(part);
        }
        return current;
    }

    /** The value at {@code field} (a dotted path), present and not null; else {@link UnexpectedDocument}. */
    public static JsonNode require(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new UnexpectedDocument("expected an object with '" + field + "', got " + kind(node));
        }
        JsonNode value = at(node, field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new UnexpectedDocument("missing '" + field + "'");
        }
        return value;
    }

    /** The text (or number) at {@code field}, required. */
    public static String requireText(JsonNode node, String field) {
        JsonNode value = require(node, field);
        if (!value.isValueNode()) {
            throw new UnexpectedDocument("'" + field + "' is " + kind(value) + ", not a text");
        }
        return value.asText();
    }

    /** {@link #requireText}, a failure named after the service that sent {@code answer}. */
    public static String requireText(Service from, JsonNode answer, String field) {
        try {
            return requireText(answer, field);
        } catch (UnexpectedDocument e) {
            throw e.from(from);
        }
    }

    /** The whole number at {@code field}, required. */
    public static long requireNumber(JsonNode node, String field) {
        Long value = number(node, field);
        if (value == null) {
            throw new UnexpectedDocument("missing '" + field + "'");
        }
        return value;
    }

    /** The whole number at {@code field}, or null when absent; of another kind it is an {@link UnexpectedDocument}. */
    public static Long number(JsonNode node, String field) {
        JsonNode value = at(node, field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new UnexpectedDocument("'" + field + "' is " + kind(value) + ", not a whole number");
        }
        return value.asLong();
    }

    /** An answer is a JSON object (not a list, a text or nothing); else {@link UnexpectedDocument}. */
    public static JsonNode requireObject(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new UnexpectedDocument("expected an object, got " + kind(node));
        }
        return node;
    }

    /** "an object", "a list", "a text"…: what a value is, never the value itself. */
    public static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "a list";
            case STRING, BINARY -> "a text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }

    /** An answer of the wrong shape: what is wrong with it, before knowing which service sent it. */
    public static final class UnexpectedDocument extends RuntimeException {
        public UnexpectedDocument(String problem) {
            super(problem, null, false, false);
        }

        /** The same problem as the operator reads it, naming the service; exit 1. */
        public CliException from(Service service) {
            return CliException.error(service.title() + " answered with an unexpected document: " + getMessage() + ".");
        }

        /** The same problem inside {@code where} ("items[2]"). */
        public UnexpectedDocument in(String where) {
            return new UnexpectedDocument(getMessage() + " in " + where);
        }
    }
}
