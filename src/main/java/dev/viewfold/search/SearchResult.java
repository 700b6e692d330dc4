package dev.viewfold.search;

import java.util.List;

/**
 * The answer to a search.
 *
 * @param approximate    whether the graph answered (false: the exact scan)
 * @param indexed        rows in the index searched
 * @param ownObservation the observation the query came from, when it came from a stored row
 */
public record SearchResult(String space, String target, String metric, boolean approximate, int indexed,
                           String ownObservation, List<Hit> hits) {

    /**
     * @param id          image id or observation id
     * @param score       cosine similarity with the query
     * @param distance    in the metric asked for
     * @param bestView    the image of the hit's observation most like the query (for an image hit, itself)
     * @param clusterId   the hit's cluster in the last cluster run, or null
     * @param link        where to see {@code bestView}
     * @param labels      the hit's group labels
     */
    public record Hit(String id, float score, float distance, String observationId, String bestView,
                      String clusterId, String link, java.util.Set<String> labels) {
    }
}
