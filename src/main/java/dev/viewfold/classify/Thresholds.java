package dev.viewfold.classify;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per-group score thresholds: a group is assigned when its score is at least its threshold. Groups
 * missing from {@code perGroup} use {@code fallback}. Kept sorted by group, so it lists the same way
 * every time.
 */
public record Thresholds(Map<String, Float> perGroup, float fallback) {

    public Thresholds {
        Objects.requireNonNull(perGroup, "perGroup");
        TreeMap<String, Float> copy = new TreeMap<>();
        for (Map.Entry<String, Float> e : perGroup.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || !Float.isFinite(e.getValue())) {
                throw new IllegalArgumentException("threshold for group " + e.getKey() + " is " + e.getValue()
                        + "; thresholds must be finite numbers");
            }
            copy.put(e.getKey(), e.getValue());
        }
        if (!Float.isFinite(fallback)) {
            throw new IllegalArgumentException("fallback threshold must be finite, not " + fallback);
        }
        perGroup = Collections.unmodifiableSortedMap(copy);
    }

    /** One threshold for every group. */
    public static Thresholds uniform(float threshold) {
        return new Thresholds(Map.of(), threshold);
    }

    /** The threshold that applies to {@code group}. */
    public float of(String group) {
        Float t = perGroup.get(group);
        return t == null ? fallback : t;
    }
}
