package dev.viewfold.search;

import dev.viewfold.errors.Refused;

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

    /** From lists as a request gives them (null: any); a null entry is refused. */
    public static SearchFilter of(java.util.Collection<String> clusterIds, java.util.Collection<String> labels,
                                  Float minScore) {
        return new SearchFilter(copy("clusters", clusterIds), copy("labels", labels), null, minScore);
    }

    public SearchFilter {
        clusterIds = copy("clusters", clusterIds);
        labels = copy("labels", labels);
    }


    private static Set<String> copy(String what, java.util.Collection<String> values) {
        if (values == null) {
            return Set.of();
        }
        if (values.stream().anyMatch(java.util.Objects::isNull)) { // Set.of().contains(null) would throw
            throw Refused.invalid("filter." + what + " may not hold null");
        }
        return Set.copyOf(values);
    }

    /** Whether the filter looks at rows at all (a minimum score is applied to hits instead). */
    public boolean selective() {
        return !clusterIds.isEmpty() || !labels.isEmpty() || excludeObservation != null;
    }

    public boolean accepts(IndexEntry e) {
        if (!clusterIds.isEmpty() && (e.clusterId() == null || !clusterIds.contains(e.clusterId()))) {
            return false;
        }
        if (!labels.isEmpty() && e.labels().stream().noneMatch(labels::contains)) {
            return false;
        }
        return excludeObservation == null || !excludeObservation.equals(e.observationId());
    }
}
