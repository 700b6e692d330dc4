package dev.viewfold.aggregate;

/**
 * What a strategy makes of an observation's views.
 *
 * @param vector      the folded embedding, unit length
 * @param agreement   per view (same order as given): cosine with the strategy's consensus
 * @param outlier     per view: left out of the fold as not belonging with the rest
 * @param dispersion  median cosine distance of the kept views to the consensus (0: all alike)
 * @param explanation one line a person can read: how the views were folded and why any were left out
 */
public record Fold(float[] vector, float[] agreement, boolean[] outlier, double dispersion, String explanation) {
}
