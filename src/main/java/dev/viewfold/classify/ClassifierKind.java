package dev.viewfold.classify;

/** How a space's labelled groups place a query. */
public enum ClassifierKind {
    /** The k most similar labelled items vote, weighted by their similarity. */
    KNN,
    /** Cosine to each group's prototype (the normalised mean of its members). */
    PROTOTYPE,
    /** A logistic-regression model fitted on the labelled rows ({@link LinearClassifier}). */
    LINEAR,
    /** Whichever of the others answers the held-out rows best ({@link GroupClassifiers#of}). */
    AUTO
}
