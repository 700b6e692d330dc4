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

    /**
     * An observation row's fold: its status, the version of the rows it read, the views and labels it
     * holds, its strategy, and the agreement (cosine with the fold) of each view it kept: what the
     * space's spread of view-to-fold distances is measured from.
     */
    public record Fold(String observationId, RowStatus status, long inputVersion, Set<String> viewIds,
                       Set<String> labels, String strategy, float[] keptAgreements) {
        public Fold {
            viewIds = Set.copyOf(viewIds);
            labels = Set.copyOf(labels);
            keptAgreements = keptAgreements == null ? new float[0] : keptAgreements;
        }

        /** The agreements of the kept views of a fold's view list. */
        public static float[] kept(java.util.List<ObservationRow.ViewScore> views) {
            return toArray(views.stream().filter(v -> !v.outlier()).map(ObservationRow.ViewScore::agreement).toList());
        }

        private static float[] toArray(java.util.List<Float> values) {
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }
}
