package dev.viewfold.classify;

/** How {@link GroupClassifier} scores a query against the labelled groups. */
public enum ClassifierKind {
    /** The k most similar labelled items vote, weighted by their similarity. */
    KNN,
    /** Cosine to each group's prototype (the normalised mean of its members). */
    PROTOTYPE
}
