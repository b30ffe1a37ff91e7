package ai.loopgpt.dr.common.selfcheck;

/**
 * One line of a self-check: an outward wire checked from where it is used. {@code detail} says what
 * was seen; {@code fix}, for a failed check, what to change. Neither ever holds a secret.
 */
public record Check(String name, boolean ok, String detail, String fix) {

    public static Check pass(String name, String detail) {
        return new Check(name, true, detail, null);
    }

    public static Check fail(String name, String detail, String fix) {
        return new Check(name, false, detail, fix);
    }
}
