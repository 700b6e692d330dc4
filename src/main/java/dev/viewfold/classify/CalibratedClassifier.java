package dev.viewfold.classify;

import java.util.Objects;

/**
 * A prototype or kNN classifier fitted on all labelled items, with thresholds chosen on held-out
 * items.
 *
 * @param heldOut how the classifier fitted without the held-out items answered them, with these
 *     thresholds (which were chosen on those same items, so its {@code accuracy} and {@code none}
 *     flatter it somewhat)
 */
public record CalibratedClassifier(GroupClassifier classifier, Thresholds thresholds, HeldOutCheck heldOut)
        implements FittedClassifier {

    public CalibratedClassifier {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(thresholds, "thresholds");
        Objects.requireNonNull(heldOut, "heldOut");
    }

    /** {@link GroupClassifier#classify} with the calibrated thresholds. */
    @Override
    public Classification classify(float[] query) {
        return classifier.classify(query, thresholds);
    }

    @Override
    public ClassifierKind kind() {
        return classifier.kind();
    }

    @Override
    public float threshold(String group) {
        return thresholds.of(group);
    }

    /** Share of held-out items whose top-scoring group is one of their labels; NaN when none were held out. */
    public double heldOutAccuracy() {
        return heldOut.topAccuracy();
    }

    public int heldOutItems() {
        return heldOut.items();
    }
}
