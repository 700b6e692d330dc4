package dev.viewfold.cluster;

/**
 * How a cluster run projects and groups observations.
 *
 * @param pcaComponents  project wide embeddings onto this many principal components before the
 *                       neighbour search (0: off, the default); 64 makes 100k × 1280 several times
 *                       faster at a small cost in cluster agreement (src/bench/RESULTS.md)
 * @param neighbours     UMAP's n_neighbors: how local the structure it keeps is
 * @param dimensions     UMAP output dimensions HDBSCAN clusters in (the map is always 2-d)
 * @param minClusterSize fewest observations a cluster may hold; 0: from the collection's size
 *                       ({@link #minClusterSizeFor})
 * @param minSamples     HDBSCAN's core neighbourhood (counting the point itself): larger is more
 *                       conservative, more observations called noise; 0: from the collection's size
 * @param mapMinDist     UMAP min_dist of the 2-d map (the clustering layout uses 0: tight clumps)
 * @param seed           all randomness derives from it: the same rows give the same run
 * @param threads        worker threads (results do not depend on it)
 * @param warmStart      start the layouts from the previous run's positions for the observations it
 *                       placed (new ones start among their neighbours), so that clusters move only
 *                       where the data moved them
 * @param fitSample      above this many observations, fit on a sample of this size and place the
 *                       rest ({@link SampleFit})
 * @param refitAfter     while the observations new, changed or removed since the last fit are at most
 *                       this share of those it fitted, a run places them among the fitted clusters
 *                       and leaves the others where they are ({@link PlacementRun}); beyond it, or at
 *                       0, a run fits again
 */
public record ClusterSettings(int pcaComponents, int neighbours, int dimensions, int minClusterSize,
                              int minSamples, double mapMinDist, long seed, int threads, boolean warmStart,
                              int fitSample, double refitAfter) {

    /** The default sample: measured in ClusterBench's sample case (src/bench/RESULTS.md). */
    public static final int DEFAULT_FIT_SAMPLE = 50_000;

    /** Placing up to a tenth anew keeps every id; ClusterBench's stability case measures it (src/bench/RESULTS.md). */
    public static final double DEFAULT_REFIT_AFTER = 0.10;

    /** The smallest and largest cluster size the rule gives. */
    static final int RULE_FLOOR = 5;
    static final int RULE_CEILING = 100;
    /** The rule's core neighbourhood stops growing here: larger costs time and calls more noise. */
    static final int SAMPLES_CEILING = 30;

    public ClusterSettings {
        require(pcaComponents >= 0, "pca-components must be ≥ 0 (0 = no PCA), got " + pcaComponents);
        require(neighbours >= 2, "neighbours must be at least 2, got " + neighbours);
        require(dimensions >= 2, "dimensions must be at least 2, got " + dimensions);
        require(minClusterSize == 0 || minClusterSize >= 2,
                "min-cluster-size must be at least 2 (or unset: from the collection), got " + minClusterSize);
        require(minSamples == 0 || minSamples >= 2,
                "min-samples must be at least 2 (or unset: from the collection), got " + minSamples);
        require(mapMinDist >= 0 && mapMinDist <= 1, "map-min-dist must be in [0, 1], got " + mapMinDist);
        require(threads >= 1, "threads must be at least 1, got " + threads);
        require(fitSample >= 1_000, "fit-sample must be at least 1000, got " + fitSample);
        require(refitAfter >= 0 && refitAfter <= 1, "refit-after must be a share in [0, 1], got " + refitAfter);
    }

    public ClusterSettings(int pcaComponents, int neighbours, int dimensions, int minClusterSize, int minSamples,
                           double mapMinDist, long seed, int threads, boolean warmStart) {
        this(pcaComponents, neighbours, dimensions, minClusterSize, minSamples, mapMinDist, seed, threads, warmStart,
                DEFAULT_FIT_SAMPLE, DEFAULT_REFIT_AFTER);
    }

    /** Sizes from the collection, warm start on. */
    public static ClusterSettings defaults() {
        return new ClusterSettings(0, 15, 5, 0, 0, 0.1, 42, Math.max(1, Runtime.getRuntime().availableProcessors()),
                true);
    }

    /**
     * The cluster size when none is set: half the square root of the number of observations, within
     * [5, 100] and at most a third of the collection. 80 observations give 5 (a collection that size
     * holds groups of ten, not of thirty), COIL-100's 7,200 images 42, 100,000 observations 100.
     */
    public static int minClusterSizeFor(int observations) {
        int rule = (int) Math.round(Math.sqrt(observations) / 2);
        int size = Math.max(RULE_FLOOR, Math.min(RULE_CEILING, rule));
        return Math.max(2, Math.min(size, observations / 3));
    }

    /** The core neighbourhood when none is set: the cluster size, up to 30. */
    public static int minSamplesFor(int minClusterSize) {
        return Math.max(2, Math.min(minClusterSize, SAMPLES_CEILING));
    }

    /** These settings with the sizes left to the collection filled in for {@code observations}. */
    public ClusterSettings forCollection(int observations) {
        int size = minClusterSize > 0 ? minClusterSize : minClusterSizeFor(observations);
        int samples = minSamples > 0 ? minSamples : minSamplesFor(size);
        return new ClusterSettings(pcaComponents, neighbours, dimensions, size, samples, mapMinDist, seed, threads,
                warmStart, fitSample, refitAfter);
    }

    public ClusterSettings withMinClusterSize(int v) {
        return new ClusterSettings(pcaComponents, neighbours, dimensions, v, minSamples, mapMinDist, seed, threads,
                warmStart, fitSample, refitAfter);
    }

    public ClusterSettings withMinSamples(int v) {
        return new ClusterSettings(pcaComponents, neighbours, dimensions, minClusterSize, v, mapMinDist, seed, threads,
                warmStart, fitSample, refitAfter);
    }

    public ClusterSettings withNeighbours(int v) {
        return new ClusterSettings(pcaComponents, v, dimensions, minClusterSize, minSamples, mapMinDist, seed, threads,
                warmStart, fitSample, refitAfter);
    }

    public ClusterSettings withPcaComponents(int v) {
        return new ClusterSettings(v, neighbours, dimensions, minClusterSize, minSamples, mapMinDist, seed, threads,
                warmStart, fitSample, refitAfter);
    }

    public ClusterSettings withWarmStart(boolean v) {
        return new ClusterSettings(pcaComponents, neighbours, dimensions, minClusterSize, minSamples, mapMinDist, seed,
                threads, v, fitSample, refitAfter);
    }

    public ClusterSettings withFitSample(int v) {
        return new ClusterSettings(pcaComponents, neighbours, dimensions, minClusterSize, minSamples, mapMinDist, seed,
                threads, warmStart, v, refitAfter);
    }

    public ClusterSettings withRefitAfter(double v) {
        return new ClusterSettings(pcaComponents, neighbours, dimensions, minClusterSize, minSamples, mapMinDist, seed,
                threads, warmStart, fitSample, v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
