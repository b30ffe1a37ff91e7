package ai.loopgpt.dr.common.web;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum whose constants have a public spelling (their code), as APIs and the database carry it. */
public interface Coded {

    String code();

    /**
     * The constant of {@code type} spelled {@code code}. The message of the exception for an unknown
     * code lists the accepted ones, so that a 400 can say what to send instead.
     */
    static <E extends Enum<E> & Coded> E byCode(Class<E> type, String code) {
        for (E constant : type.getEnumConstants()) {
            if (constant.code().equals(code)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + code + "' is not one of the values accepted: ["
                + Arrays.stream(type.getEnumConstants()).map(Coded::code).collect(Collectors.joining(", ")) + "]");
    }
}
