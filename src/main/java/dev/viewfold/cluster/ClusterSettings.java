package dev.viewfold.cluster;

/**
 * How a cluster run projects and groups observations.
 *
 * @param pcaComponents  project wide embeddings onto this many principal components before the
 *                       neighbour search (0: off, the default); 64 makes 100k × 1280 several times
 *                       faster at a small cost in cluster agreement (src/bench/RESULTS.md)
 * @param neighbours     UMAP's n_neighbors: how local the structure it keeps is
 * @param dimensions     UMAP output dimensions HDBSCAN clusters in (the map is always 2-d)
 * @param minClusterSize fewest observations a cluster may hold
 * @param minSamples     HDBSCAN's core neighbourhood (counting the point itself): larger is more
 *                       conservative, more observations called noise
 * @param mapMinDist     UMAP min_dist of the 2-d map (the clustering layout uses 0: tight clumps)
 * @param seed           all randomness derives from it: the same rows give the same run
 * @param threads        worker threads (results do not depend on it)
 */
public record ClusterSettings(int pcaComponents, int neighbours, int dimensions, int minClusterSize,
                              int minSamples, double mapMinDist, long seed, int threads) {

    public ClusterSettings {
        require(pcaComponents >= 0, "pca-components must be ≥ 0 (0 = no PCA), got " + pcaComponents);
        require(neighbours >= 2, "neighbours must be at least 2, got " + neighbours);
        require(dimensions >= 2, "dimensions must be at least 2, got " + dimensions);
        require(minClusterSize >= 2, "min-cluster-size must be at least 2, got " + minClusterSize);
        require(minSamples >= 2, "min-samples must be at least 2, got " + minSamples);
        require(mapMinDist >= 0 && mapMinDist <= 1, "map-min-dist must be in [0, 1], got " + mapMinDist);
        require(threads >= 1, "threads must be at least 1, got " + threads);
    }

    public static ClusterSettings defaults() {
        return new ClusterSettings(0, 15, 5, 30, 30, 0.1, 42, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public ClusterSettings withMinClusterSize(int v) {
        return new ClusterSettings(pcaComponents, neighbours, dimensions, v, minSamples, mapMinDist, seed, threads);
    }

    public ClusterSettings withMinSamples(int v) {
        return new ClusterSettings(pcaComponents, neighbours, dimensions, minClusterSize, v, mapMinDist, seed, threads);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
