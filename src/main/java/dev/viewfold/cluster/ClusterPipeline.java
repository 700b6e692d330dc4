package dev.viewfold.cluster;

import dev.viewfold.cluster.hdbscan.Hdbscan;
import dev.viewfold.cluster.hdbscan.HdbscanResult;
import dev.viewfold.cluster.umap.Umap;

import java.util.Objects;

/**
 * Vectors to clusters and a map: optional PCA, one UMAP neighbour graph shared by a few-dimensional
 * layout (min_dist 0, the space HDBSCAN clusters in: UMAP keeps local density, which raw 1280-d
 * distances do not) and the 2-d map; then HDBSCAN. Deterministic for a seed.
 */
public final class ClusterPipeline {

    private final ClusterSettings settings;
    private final Umap.Progress progress;

    public ClusterPipeline(ClusterSettings settings, Umap.Progress progress) {
        this(settings, progress, WARM_EPOCH_SHARE, WARM_LEARNING_RATE);
    }

    /** With another warm start (a benchmark's variants): share of the epochs (0: layout kept), learning rate. */
    public ClusterPipeline(ClusterSettings settings, Umap.Progress progress, double warmEpochShare,
                           double warmLearningRate) {
        this(settings, progress, warmEpochShare, warmLearningRate, false);
    }

    private ClusterPipeline(ClusterSettings settings, Umap.Progress progress, double warmEpochShare,
                            double warmLearningRate, boolean holdLaidOut) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.warmEpochShare = warmEpochShare;
        this.warmLearningRate = warmLearningRate;
        this.holdLaidOut = holdLaidOut;
    }

    /**
     * This pipeline with a warm start that holds every row laid out before exactly where it was and
     * lays out only the others among them (umap-learn's transform), when at least half the rows were
     * laid out before; with fewer, the layout moves as a whole, as in the usual warm start. For a
     * sampled fit (SampleFit): the sample's own neighbour graph is a thinned copy of the whole's,
     * and even a tenth of the epochs on it moves the layout away from the one the whole gave.
     */
    public ClusterPipeline holdingLaidOutRows() {
        return new ClusterPipeline(settings, progress, warmEpochShare, warmLearningRate, true);
    }

    /**
     * Earlier positions per row (null rows: not placed before), in the layout's and the map's
     * dimensions.
     *
     * @param unchanged the earlier run saw these very rows, vectors and settings: its layouts stand
     */
    public record Prior(float[][] space, float[][] map, boolean unchanged) {

        public static final Prior NONE = new Prior(null, null, false);

        /** Rows with an earlier position. */
        public int placed() {
            int count = 0;
            for (float[] row : space == null ? new float[0][] : space) {
                count += row == null ? 0 : 1;
            }
            return count;
        }
    }

    /**
     * A warm start runs a third of the epochs from a quarter of the learning rate (umap-learn's
     * transform of new points uses the same): enough for new rows to settle, little for old ones to
     * drift. Measured in ClusterBench's stability case (src/bench/RESULTS.md).
     */
    static final double WARM_EPOCH_SHARE = 1 / 3.0;
    static final double WARM_LEARNING_RATE = 0.25;

    private final double warmEpochShare;
    private final double warmLearningRate;
    private final boolean holdLaidOut;

    public Clustering run(float[][] vectors) {
        return run(vectors, Prior.NONE);
    }

    /** @param settings' sizes left to the collection are filled in from {@code vectors.length} */
    public Clustering run(float[][] vectors, Prior prior) {
        int n = vectors.length;
        if (n == 0) {
            return new Clustering(new int[0], new double[0], new double[0], 0, new float[0][], new float[0][]);
        }
        ClusterSettings s = settings.forCollection(n);
        Umap.Params base = Umap.Params.defaults()
                .withNNeighbors(s.neighbours())
                .withPcaComponents(s.pcaComponents())
                .withSeed(s.seed())
                .withThreads(s.threads());
        if (s.warmStart() && prior.unchanged()) {
            return cluster(s, prior.space(), prior.map());
        }
        Umap.Graph graph = new Umap(base, progress).graph(vectors);
        boolean warm = s.warmStart() && prior.space() != null && prior.map() != null;
        Umap spaceUmap = new Umap(base.withNComponents(s.dimensions()).withMinDist(0),
                (stage, f) -> progress.report("cluster " + stage, f));
        Umap mapUmap = new Umap(base.withNComponents(2).withMinDist(s.mapMinDist()),
                (stage, f) -> progress.report("map " + stage, f));
        boolean hold = warm && holdLaidOut && 2L * prior.placed() >= n;
        float[][] space = warm ? spaceUmap.layoutFrom(graph, prior.space(), warmEpochShare, warmLearningRate, hold)
                : spaceUmap.layout(graph);
        float[][] map = warm ? mapUmap.layoutFrom(graph, prior.map(), warmEpochShare, warmLearningRate, hold)
                : mapUmap.layout(graph);
        return cluster(s, space, map);
    }

    private Clustering cluster(ClusterSettings s, float[][] space, float[][] map) {
        progress.report("hdbscan", 0);
        HdbscanResult result = new Hdbscan(new Hdbscan.Params(s.minClusterSize(), s.minSamples())).fit(space);
        progress.report("hdbscan", 1);
        return new Clustering(result.labels(), result.probabilities(), result.outlierScores(), result.clusterCount(),
                map, space);
    }
}
