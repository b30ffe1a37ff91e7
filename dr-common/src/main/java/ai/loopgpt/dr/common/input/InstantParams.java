package ai.loopgpt.dr.common.input;

import ai.loopgpt.dr.common.problem.ProblemException;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Instant query and path parameters: ISO-8601, within the years PostgreSQL stores, or a 400 saying so. */
@Provider
public class InstantParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != Instant.class) {
            return null;
        }
        return (ParamConverter<T>) new ParamConverter<Instant>() {
            @Override
            public Instant fromString(String value) {
                if (value == null) {
                    return null;
                }
                Instant parsed;
                try {
                    parsed = Instant.parse(value.strip());
                } catch (DateTimeParseException e) {
                    throw ProblemException.badRequest("'" + ProblemException.shorten(value)
                            + "' is not an ISO-8601 instant such as 2026-11-28T10:15:00Z.");
                }
                if (parsed.isBefore(JsonGuards.EARLIEST) || parsed.isAfter(JsonGuards.LATEST)) {
                    throw ProblemException.badRequest("'" + ProblemException.shorten(value)
                            + "' is outside the years 1 to 9999.");
                }
                return parsed;
            }

            @Override
            public String toString(Instant value) {
                return value.toString();
            }
        };
    }
}
