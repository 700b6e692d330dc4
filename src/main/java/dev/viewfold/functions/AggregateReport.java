package dev.viewfold.functions;

import java.util.List;

/**
 * What {@code aggregate} did. {@code batchItemFailures} follows Lambda's partial-batch contract for
 * stream sources: the first record that failed, so Lambda retries from there and no further.
 */
public record AggregateReport(List<Folded> observations, List<BatchItemFailure> batchItemFailures) {

    /**
     * @param likelyHomes the views left out as looking like another observation of the space, each
     *                    with that observation: where to move them
     */
    public record Folded(String observationId, String space, String status, String strategy, int viewCount,
                         List<String> outlierViews, List<LikelyHome> likelyHomes, double dispersion,
                         String explanation, boolean written) {
    }

    /** A view left out as looking like another observation: that observation and the view's cosine with its fold. */
    public record LikelyHome(String viewId, String imageId, String observationId, double score) {
    }

    public record BatchItemFailure(String itemIdentifier) {
    }
}
