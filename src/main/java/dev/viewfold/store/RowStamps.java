package dev.viewfold.store;

import java.time.Instant;
import java.util.Set;

/**
 * What a consistency check reads of the rows, without their vectors: enough to tell whether a fold
 * (or a head's copy of a row) still reflects the rows it derives from.
 */
public final class RowStamps {

    private RowStamps() {
    }

    /** An image row's identity, status, labels and last write. */
    public record Image(String imageId, String observationId, RowStatus status, Instant updatedAt, Set<String> labels) {
        public Image {
            labels = Set.copyOf(labels);
        }
    }

    /** An observation row's fold: its status, the version of the rows it read, the views and labels it holds. */
    public record Fold(String observationId, RowStatus status, long inputVersion, Set<String> viewIds,
                       Set<String> labels) {
        public Fold {
            viewIds = Set.copyOf(viewIds);
            labels = Set.copyOf(labels);
        }
    }
}
