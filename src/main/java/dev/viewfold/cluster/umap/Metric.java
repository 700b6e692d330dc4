package dev.viewfold.cluster.umap;

/** Distance in the input space. */
public enum Metric {
    /** 1 − cos(x, y); inputs are L2-normalised once, so neighbour order is that of Euclidean distance. */
    COSINE,
    /** ‖x − y‖. */
    EUCLIDEAN
}
