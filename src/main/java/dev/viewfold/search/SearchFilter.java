package dev.viewfold.search;

import java.util.Set;

/**
 * Which rows a search may return.
 *
 * @param clusterIds         only rows in one of these clusters (empty: any)
 * @param labels             only rows carrying at least one of these labels (empty: any)
 * @param excludeObservation leave out this observation (the query's own), or null
 * @param minScore           leave out hits with a lower cosine similarity, or null
 */
public record SearchFilter(Set<String> clusterIds, Set<String> labels, String excludeObservation, Float minScore) {

    public static final SearchFilter NONE = new SearchFilter(Set.of(), Set.of(), null, null);

    public SearchFilter {
        clusterIds = clusterIds == null ? Set.of() : Set.copyOf(clusterIds);
        labels = labels == null ? Set.of() : Set.copyOf(labels);
    }

    /** Whether the filter looks at rows at all (a minimum score is applied to hits instead). */
    boolean selective() {
        return !clusterIds.isEmpty() || !labels.isEmpty() || excludeObservation != null;
    }

    boolean accepts(IndexEntry e) {
        if (!clusterIds.isEmpty() && (e.clusterId() == null || !clusterIds.contains(e.clusterId()))) {
            return false;
        }
        if (!labels.isEmpty() && e.labels().stream().noneMatch(labels::contains)) {
            return false;
        }
        return excludeObservation == null || !excludeObservation.equals(e.observationId());
    }
}
