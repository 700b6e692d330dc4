package dev.viewfold.aggregate;

/**
 * What a strategy makes of an observation's views.
 *
 * @param vector      the folded embedding, unit length
 * @param agreement   per view (same order as given): cosine with the strategy's fold or consensus
 * @param outlier     per view: left out of the fold as not belonging with the rest
 * @param dispersion  median cosine distance of the kept views to the fold (0: all alike)
 * @param explanation one line a person can read: how the views were folded and why any were left out
 * @param homes       per view: the other observation of the space a left-out view looks like it
 *                    belongs to, with the view's cosine with that observation's fold; null entries
 *                    for views that have none (and the whole array null for strategies that never say)
 */
public record Fold(float[] vector, float[] agreement, boolean[] outlier, double dispersion, String explanation,
                   OtherObservations.Match[] homes) {

    public Fold(float[] vector, float[] agreement, boolean[] outlier, double dispersion, String explanation) {
        this(vector, agreement, outlier, dispersion, explanation, null);
    }

    /** The likely home of view {@code i}, or null. */
    public OtherObservations.Match home(int i) {
        return homes == null ? null : homes[i];
    }
}
