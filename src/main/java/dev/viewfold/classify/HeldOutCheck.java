package dev.viewfold.classify;

import java.util.List;

/**
 * How a classifier fitted without some labelled rows answered them.
 *
 * @param items       how many rows were held out (0: none could be, and the shares are NaN)
 * @param topAccuracy share whose best-scoring group is one of their labels, thresholds aside
 * @param accuracy    share answered with one of their labels first; an answer of "none" counts wrong
 * @param none        share answered "none of these"
 */
public record HeldOutCheck(int items, double topAccuracy, double accuracy, double none) {

    public static final HeldOutCheck NONE = new HeldOutCheck(0, Double.NaN, Double.NaN, Double.NaN);

    /** Answers each held-out row with {@code classifier} and counts. */
    public static HeldOutCheck of(List<dev.viewfold.groups.Labelled> heldOut,
                                  java.util.function.Function<float[], Classification> classifier) {
        if (heldOut.isEmpty()) {
            return NONE;
        }
        int top = 0;
        int right = 0;
        int none = 0;
        for (var row : heldOut) {
            Classification c = classifier.apply(row.vector());
            top += row.labels().contains(c.top()) ? 1 : 0;
            right += !c.none() && row.labels().contains(c.groups().get(0)) ? 1 : 0;
            none += c.none() ? 1 : 0;
        }
        double n = heldOut.size();
        return new HeldOutCheck(heldOut.size(), top / n, right / n, none / n);
    }
}
