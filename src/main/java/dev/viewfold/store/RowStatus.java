package dev.viewfold.store;

/** Outcome of encoding one image (or folding one observation). Stored as its lower-case name. */
public enum RowStatus {
    OK, FAILED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RowStatus fromWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
