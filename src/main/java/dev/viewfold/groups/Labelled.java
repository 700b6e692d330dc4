package dev.viewfold.groups;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One labelled item: its id, its L2-normalised embedding and one or more group labels (an item may
 * belong to several groups). The labels are kept sorted so that every iteration over them, and so
 * every result built from them, is the same from one run to the next. The vector is not copied:
 * callers hand over a vector they no longer change.
 */
public record Labelled(String id, float[] vector, Set<String> labels) {

    public Labelled {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(labels, "labels");
        if (vector.length == 0) {
            throw new IllegalArgumentException("item " + id + ": the vector is empty");
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("item " + id + ": needs at least one label");
        }
        SortedSet<String> sorted = new TreeSet<>();
        for (String label : labels) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("item " + id + ": a label is null or blank");
            }
            sorted.add(label);
        }
        labels = Collections.unmodifiableSortedSet(sorted);
    }

    /** An item with a single label. */
    public static Labelled of(String id, float[] vector, String label) {
        return new Labelled(id, vector, Set.of(label));
    }

    /** Whether the two items share at least one label: a positive pair. */
    public boolean sharesLabelWith(Labelled other) {
        for (String l : labels) {
            if (other.labels.contains(l)) {
                return true;
            }
        }
        return false;
    }
}
