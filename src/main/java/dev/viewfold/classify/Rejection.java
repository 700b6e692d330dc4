package dev.viewfold.classify;

import java.util.Arrays;

/**
 * When a linear classifier answers "none of these": the best group's probability is below
 * {@code minProbability}, or the query is less like every group's prototype than any photo of a
 * known group was ({@code minSimilarity}).
 *
 * <p>{@link #calibrate} sets both from photos of known groups that the model scoring them was not
 * fitted on: the similarity limit is the lowest similarity among them (it rejects none of them, and
 * catches photos unlike anything labelled, which a softmax can still be sure about); the
 * probability limit rejects the least confident of them, as many as keeps the share rejected at
 * most {@code share}. Low confidence catches photos between known groups.
 */
public record Rejection(double minProbability, double minSimilarity) {

    /** Never rejects. */
    public static final Rejection NEVER = new Rejection(0, -1);

    public boolean rejects(double topProbability, double similarity) {
        return topProbability < minProbability || similarity < minSimilarity;
    }

    /**
     * See the class comment; {@code similarity} null leaves similarity out (probability alone).
     *
     * @param share in [0, 1): at most this share of the rows is rejected; 0 never rejects
     */
    public static Rejection calibrate(double[] topProbability, double[] similarity, double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("the rejected share must be in [0, 1), not " + share);
        }
        int n = topProbability.length;
        if (n == 0 || share == 0) {
            return NEVER;
        }
        double minSimilarity = similarity == null ? -1 : java.util.Arrays.stream(similarity).min().orElse(-1);
        int allowed = (int) Math.floor(share * n + 1e-9);
        double[] p = topProbability.clone();
        Arrays.sort(p);
        // Rejecting below the m-th lowest probability rejects at most m rows (fewer on ties).
        return new Rejection(allowed == 0 ? 0 : p[allowed], minSimilarity);
    }
}
