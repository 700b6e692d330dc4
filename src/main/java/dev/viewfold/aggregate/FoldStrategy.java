package dev.viewfold.aggregate;

import java.util.List;

/** A way of folding the views of one observation into one embedding. Implementations are stateless. */
public interface FoldStrategy {

    /** The name used in configuration, requests and rows. */
    String name();

    /** @param views at least one, unit-length vectors of one dimension, in view order */
    Fold fold(List<View> views);
}
