package dev.viewfold.store;

/**
 * S3 event sequencers, made comparable as plain strings. S3 orders the events of one key by their
 * sequencer: hex strings compared after padding the shorter with zeros on the right. Stored padded,
 * they compare with {@link String#compareTo}, in SQLite and in DynamoDB conditions alike.
 */
public final class Sequencers {

    /** Long enough for every sequencer S3 has been seen to send (18 hex digits today). */
    static final int WIDTH = 32;

    private Sequencers() {
    }

    /** The padded, upper-case form, or null for none. */
    public static String comparable(String sequencer) {
        if (sequencer == null || sequencer.isBlank()) {
            return null;
        }
        String s = sequencer.trim().toUpperCase(java.util.Locale.ROOT);
        return s.length() >= WIDTH ? s : s + "0".repeat(WIDTH - s.length());
    }
}
