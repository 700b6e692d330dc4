package dev.viewfold.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The canonical embedding of one observation (all its views folded into one) in one space.
 * Written by the aggregate function; cluster fills in the cluster id and map coordinates.
 *
 * @param vector       the folded embedding, L2-normalised; null when no view is usable
 * @param viewCount    views that took part
 * @param outlierViews views judged not to belong to the rest
 * @param clusterId    null until a cluster run has placed the observation (or when it is noise)
 * @param mapX         2-D map coordinate, null until a cluster run
 * @param mapY         2-D map coordinate, null until a cluster run
 */
public record ObservationRow(
        String observationId,
        String space,
        RowStatus status,
        String error,
        float[] vector,
        int viewCount,
        List<String> outlierViews,
        String clusterId,
        Float mapX,
        Float mapY,
        Instant updatedAt) {

    public ObservationRow {
        Objects.requireNonNull(observationId, "observationId");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(status, "status");
        outlierViews = outlierViews == null ? List.of() : List.copyOf(outlierViews);
    }
}
