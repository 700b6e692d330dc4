package dev.viewfold.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The canonical embedding of one observation (all its usable views folded into one) in one space.
 * The aggregate function writes the fold; a cluster run fills in the cluster id and map position.
 *
 * @param status       {@code ok}, or {@code empty} when no view is usable (then vector is null)
 * @param vector       the folded embedding, L2-normalised
 * @param strategy     how the views were folded ({@code mean}, {@code robust}, ...)
 * @param views        every view that took part, with its agreement with the rest
 * @param dispersion   how much the kept views disagree: their median cosine distance to the fold
 * @param explanation  the strategy's account of itself, for a person
 * @param inputVersion the newest change (epoch ms) among the image rows this fold read: a fold from
 *                     an older set of views never replaces one from a newer set
 * @param labels       the groups the observation belongs to: the union of its views' labels
 * @param placement    where the latest cluster run put the observation; null until one has
 */
public record ObservationRow(
        String observationId,
        String space,
        RowStatus status,
        String error,
        float[] vector,
        String strategy,
        List<ViewScore> views,
        double dispersion,
        String explanation,
        long inputVersion,
        Set<String> labels,
        Placement placement,
        Instant updatedAt) {

    /**
     * One view's part in a fold: its agreement (cosine) with the fold, whether it was left out, and
     * for a view left out as looking like another observation of the space, that observation
     * ({@code likelyHome}) and the view's cosine with its fold ({@code likelyHomeScore}), so a person
     * can move it; both null otherwise.
     */
    public record ViewScore(String imageId, String viewId, float agreement, boolean outlier, String likelyHome,
                            Float likelyHomeScore) {

        public ViewScore(String imageId, String viewId, float agreement, boolean outlier) {
            this(imageId, viewId, agreement, outlier, null, null);
        }
    }

    public ObservationRow {
        Objects.requireNonNull(observationId, "observationId");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(status, "status");
        views = views == null ? List.of() : List.copyOf(views);
        labels = Labels.copyOf(labels);
    }

    /**
     * What a cluster run decided for one observation.
     *
     * @param clusterId    the stable cluster id, or null for noise (in no cluster)
     * @param probability  strength of membership in [0, 1]; 0 for noise
     * @param outlierScore GLOSH outlier score in [0, 1]: high when the observation stands apart
     * @param x            map position
     * @param y            map position
     * @param run          the run that decided it
     */
    public record Placement(String clusterId, double probability, double outlierScore, float x, float y,
                            String run) {
        public Placement {
            Objects.requireNonNull(run, "run");
        }
    }

    /** The cluster id, or null when unclustered or noise. */
    public String clusterId() {
        return placement == null ? null : placement.clusterId();
    }

    public int viewCount() {
        return views.size();
    }

    /** View ids flagged as not belonging with the rest. */
    public List<String> outlierViews() {
        return views.stream().filter(ViewScore::outlier).map(ViewScore::viewId).toList();
    }
}
