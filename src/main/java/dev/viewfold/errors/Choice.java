package dev.viewfold.errors;

import java.util.Locale;

/** A named option of a request or a command line, as the enum it names. */
public final class Choice {

    private Choice() {
    }

    /**
     * The constant named {@code value}, case and {@code -}/{@code _} aside ({@code batch-hard} is
     * {@code BATCH_HARD}).
     *
     * @throws Refused (invalid) listing the known names
     */
    public static <E extends Enum<E>> E of(Class<E> type, String field, String value) {
        if (value != null) {
            String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E c : type.getEnumConstants()) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (E c : type.getEnumConstants()) {
            known.append(known.isEmpty() ? "" : ", ").append(wire(c));
        }
        throw Refused.invalid("unknown " + field + " '" + Refused.echo(value) + "'; known: " + known);
    }

    /** How requests and answers write a constant: lower case, {@code -} for {@code _}. */
    public static String wire(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
