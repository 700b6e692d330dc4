package dev.viewfold.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The canonical embedding of one observation (all its usable views folded into one) in one space.
 * The aggregate function writes the fold; a cluster run fills in the cluster id and map position.
 *
 * @param status       {@code ok}, or {@code empty} when no view is usable (then vector is null)
 * @param vector       the folded embedding, L2-normalised
 * @param strategy     how the views were folded ({@code mean}, {@code robust}, ...)
 * @param views        every view that took part, with its agreement with the rest
 * @param dispersion   how much the inlying views disagree: the median cosine distance to the consensus
 * @param explanation  the strategy's account of itself, for a person
 * @param inputVersion the newest change (epoch ms) among the image rows this fold read: a fold from
 *                     an older set of views never replaces one from a newer set
 * @param clusterId    null until a cluster run has placed the observation (or when it is noise)
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
        String clusterId,
        Float mapX,
        Float mapY,
        Instant updatedAt) {

    /** One view's part in a fold: its agreement with the consensus (cosine), and whether it was left out. */
    public record ViewScore(String imageId, String viewId, float agreement, boolean outlier) {
    }

    public ObservationRow {
        Objects.requireNonNull(observationId, "observationId");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(status, "status");
        views = views == null ? List.of() : List.copyOf(views);
    }

    public int viewCount() {
        return views.size();
    }

    /** View ids flagged as not belonging with the rest. */
    public List<String> outlierViews() {
        return views.stream().filter(ViewScore::outlier).map(ViewScore::viewId).toList();
    }
}
