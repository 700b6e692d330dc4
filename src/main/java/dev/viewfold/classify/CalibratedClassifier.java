package dev.viewfold.classify;

import java.util.Objects;

/**
 * A classifier fitted on all labelled items, with thresholds chosen on held-out items.
 *
 * @param heldOutAccuracy share of held-out items whose top-scoring group is one of their labels
 *     (measured with the classifier fitted without them)
 * @param heldOutItems how many items were held out
 */
public record CalibratedClassifier(GroupClassifier classifier, Thresholds thresholds, double heldOutAccuracy,
        int heldOutItems) {

    public CalibratedClassifier {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(thresholds, "thresholds");
    }

    /** {@link GroupClassifier#classify} with the calibrated thresholds. */
    public Classification classify(float[] query) {
        return classifier.classify(query, thresholds);
    }
}
