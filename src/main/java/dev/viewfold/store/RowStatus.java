package dev.viewfold.store;

/**
 * Outcome of encoding one image ({@code ok}, {@code failed}) or folding one observation ({@code ok},
 * {@code empty} when no view is usable). Stored as its lower-case name.
 */
public enum RowStatus {
    OK, FAILED, EMPTY;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RowStatus fromWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
