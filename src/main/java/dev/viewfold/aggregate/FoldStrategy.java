package dev.viewfold.aggregate;

import java.util.List;

/** A way of folding the views of one observation into one embedding. Implementations are stateless. */
public interface FoldStrategy {

    /** The name used in configuration, requests and rows. */
    String name();

    /** @param views at least one, unit-length vectors of one dimension, in view order */
    Fold fold(List<View> views);

    /**
     * Folds with what the rest of the space says about the views; strategies that judge an
     * observation by its own views alone ignore it.
     */
    default Fold fold(List<View> views, CollectionEvidence evidence) {
        return fold(views);
    }

    /** Whether {@link #fold(List, CollectionEvidence)} reads the evidence (it costs a read of the space to gather). */
    default boolean weighsTheCollection() {
        return false;
    }
}
