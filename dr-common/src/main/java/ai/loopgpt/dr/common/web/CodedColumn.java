package ai.loopgpt.dr.common.web;

import jakarta.persistence.AttributeConverter;

/**
 * Stores a {@link Coded} enum by its public spelling rather than its Java name. Each column type is
 * a small subclass naming its enum, e.g. {@code class KindColumn extends CodedColumn<BackupKind>}.
 */
public abstract class CodedColumn<E extends Enum<E> & Coded> implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected CodedColumn(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : value.code();
    }

    @Override
    public E convertToEntityAttribute(String code) {
        return code == null ? null : Coded.byCode(type, code);
    }
}
