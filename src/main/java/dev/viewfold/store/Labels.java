package dev.viewfold.store;

import dev.viewfold.errors.Refused;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Group labels as rows hold them: trimmed, non-blank, at most {@value #MAX_LENGTH} characters, no
 * control characters and no {@code |} (the separator in manifests, exports and storage). Sets are
 * kept sorted so rows, exports and digests read the same every time.
 */
public final class Labels {

    public static final int MAX_LENGTH = 200;
    /** Separates several labels in one manifest cell or metadata value. */
    public static final char SEPARATOR = '|';

    private Labels() {
    }

    /** An immutable sorted copy; null is empty. Throws {@link Refused} naming a bad label. */
    public static Set<String> copyOf(Collection<String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Set.of();
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String label : labels) {
            sorted.add(check(label));
        }
        return java.util.Collections.unmodifiableSortedSet(sorted);
    }

    /** Labels from one manifest cell or metadata value: {@code a|b|c}; blank is none. */
    public static Set<String> parse(String cell) {
        if (cell == null || cell.isBlank()) {
            return Set.of();
        }
        TreeSet<String> out = new TreeSet<>();
        for (String part : cell.split("\\|", -1)) {
            if (!part.isBlank()) {
                out.add(check(part.trim()));
            }
        }
        return java.util.Collections.unmodifiableSortedSet(out);
    }

    /** The storage form: labels joined by {@code |}, or null for none. */
    public static String join(Set<String> labels) {
        return labels == null || labels.isEmpty() ? null : String.join("|", labels);
    }

    private static String check(String label) {
        if (label == null || label.isBlank()) {
            throw Refused.invalid("a label must not be blank");
        }
        String l = label.trim();
        if (l.length() > MAX_LENGTH) {
            throw Refused.invalid("label '" + l.substring(0, 40) + "…' is longer than " + MAX_LENGTH
                    + " characters");
        }
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == SEPARATOR || Character.isISOControl(c)) {
                throw Refused.invalid("label '" + l + "' contains '" + (c == SEPARATOR ? "|" : "\\u"
                        + String.format("%04x", (int) c)) + "', which labels may not hold");
            }
        }
        return l;
    }
}
