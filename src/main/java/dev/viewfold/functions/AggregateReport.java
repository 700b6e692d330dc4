package dev.viewfold.functions;

import java.util.List;

/**
 * What {@code aggregate} did. {@code batchItemFailures} follows Lambda's partial-batch contract for
 * stream sources: the first record that failed, so Lambda retries from there and no further.
 */
public record AggregateReport(List<Folded> observations, List<BatchItemFailure> batchItemFailures) {

    public record Folded(String observationId, String space, String status, String strategy, int viewCount,
                         List<String> outlierViews, double dispersion, String explanation, boolean written) {
    }

    public record BatchItemFailure(String itemIdentifier) {
    }
}
