package dev.viewfold.classify;

/**
 * A classifier fitted on a space's labelled rows, with its decision rule (when it answers a group,
 * several, or none) and how it did on labelled rows it was not fitted on.
 */
public interface FittedClassifier {

    ClassifierKind kind();

    /** Scores, best first, and the groups the decision rule answers (none when it answers no group). */
    Classification classify(float[] query);

    /** The score a group needs to be answered (for the answer's scores). */
    float threshold(String group);

    /** The check on held-out rows. */
    HeldOutCheck heldOut();
}
