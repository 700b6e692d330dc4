package dev.viewfold.search;

import dev.viewfold.errors.Refused;
import java.util.Locale;

/**
 * How hits are ranked and what their distance means. Stored vectors are unit length, so both rank
 * alike for a unit query; they differ in the distance reported, and euclidean keeps the query's length.
 */
public enum Metric {
    /** distance = 1 − cosine similarity. */
    COSINE,
    /** distance = ‖query − vector‖. */
    EUCLIDEAN;

    public static Metric parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refused.invalid("unknown metric '" + name + "': use cosine or euclidean");
        }
    }

    /** The distance of a hit with inner product {@code dot} for a query of squared length {@code queryNorm2}. */
    public float distance(float dot, double queryNorm2) {
        if (this == COSINE) {
            return (float) (1 - dot / Math.sqrt(queryNorm2));
        }
        return (float) Math.sqrt(Math.max(0, queryNorm2 + 1 - 2.0 * dot));
    }
}
