package dev.viewfold.cluster.umap;

/** Where the layout starts before SGD. */
public enum Init {
    /** Leading non-trivial eigenvectors of the graph's normalised Laplacian (umap-learn's default). */
    SPECTRAL,
    /** The input's first principal components. */
    PCA
}
