package dev.viewfold.groups;

/**
 * Leave-one-out retrieval quality over a set of items (see {@link RetrievalMetrics}).
 *
 * @param queries the items that had at least one relevant item and so were asked
 */
public record RetrievalScores(double recallAt1, double recallAt4, double mapAtR, int queries) {
}
