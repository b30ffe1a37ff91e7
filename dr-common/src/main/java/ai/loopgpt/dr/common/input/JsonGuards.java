package ai.loopgpt.dr.common.input;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Bad JSON refused while it is read, for every endpoint, so that it ends as a 400 naming the field:
 * strings holding NUL or other control characters (but tab, CR, LF), {@code null} inside arrays and
 * maps, and instants outside the years PostgreSQL stores (1 to 9999).
 */
@Singleton
public class JsonGuards implements ObjectMapperCustomizer {

    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * Applied last: Quarkus registers its own modules (Java time among them) at a low priority, and a
     * module registered later wins; before this, Instants bypassed the guard below.
     */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("loopgpt-json-guards");
        module.addDeserializer(String.class, new CleanStrings());
        module.addDeserializer(Instant.class, new StoredInstants());
        module.addDeserializer(java.util.UUID.class, new StrictIds());
        mapper.registerModule(module);
        mapper.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        // {"status":"a","status":"b"}: which one counts is ambiguous, so neither does (a 400 naming the key).
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Strings without control characters. */
    static final class CleanStrings extends StdScalarDeserializer<String> {
        CleanStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (InputGuards.hasControl(value)) {
                return (String) ctxt.handleWeirdStringValue(String.class, value,
                        "holds a control character (such as NUL); remove it");
            }
            return value;
        }
    }

    /**
     * Ids that are ids: Jackson reads a blank string (and one of NULs, which it trims away) as no id at
     * all, so {@code "backupId": "\u0000"} would quietly mean "the newest backup".
     */
    static final class StrictIds extends StdScalarDeserializer<java.util.UUID> {
        StrictIds() {
            super(java.util.UUID.class);
        }

        @Override
        public java.util.UUID deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                String text = p.getText();
                if (text.isBlank() || InputGuards.hasAnyControl(text)) {
                    return (java.util.UUID) ctxt.handleWeirdStringValue(java.util.UUID.class, text,
                            "is not an id (a UUID such as 3f1c2a4e-8d1b-4c55-9a7e-0b6f1e2d3c4b); leave the field out for none");
                }
            }
            return UUIDS.deserialize(p, ctxt);
        }

        private static final com.fasterxml.jackson.databind.deser.std.UUIDDeserializer UUIDS =
                new com.fasterxml.jackson.databind.deser.std.UUIDDeserializer();
    }

    /** Instants PostgreSQL can store. */
    static final class StoredInstants extends StdScalarDeserializer<Instant> {
        private final JsonDeserializer<Instant> delegate = InstantDeserializer.INSTANT;

        StoredInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Instant value = delegate.deserialize(p, ctxt);
            if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, p.getText(),
                        "is outside the years 1 to 9999");
            }
            return value;
        }
    }
}
