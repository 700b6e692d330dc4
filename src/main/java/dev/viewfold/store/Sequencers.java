package dev.viewfold.store;

import dev.viewfold.errors.Refused;
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

    /**
     * The padded, upper-case form, or null for none.
     *
     * @throws Refused for anything but up to {@value #WIDTH} hex digits: padded
     *         as is, a made-up sequencer such as {@code "zzzz"} would outrank every real one and
     *         shut out all later versions of its image
     */
    public static String comparable(String sequencer) {
        if (sequencer == null || sequencer.isBlank()) {
            return null;
        }
        String s = sequencer.trim().toUpperCase(java.util.Locale.ROOT);
        if (s.length() > WIDTH || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            throw Refused.invalid("sequencer '" + sequencer + "' is not an S3 event sequencer (up to "
                    + WIDTH + " hex digits)");
        }
        return s + "0".repeat(WIDTH - s.length());
    }
}
