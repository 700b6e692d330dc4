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
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public Clustering run(float[][] vectors) {
        int n = vectors.length;
        if (n == 0) {
            return new Clustering(new int[0], new double[0], new double[0], 0, new float[0][]);
        }
        Umap.Params base = Umap.Params.defaults()
                .withNNeighbors(settings.neighbours())
                .withPcaComponents(settings.pcaComponents())
                .withSeed(settings.seed())
                .withThreads(settings.threads());
        Umap.Graph graph = new Umap(base, progress).graph(vectors);
        float[][] space = new Umap(base.withNComponents(settings.dimensions()).withMinDist(0),
                (stage, f) -> progress.report("cluster " + stage, f)).layout(graph);
        float[][] map = new Umap(base.withNComponents(2).withMinDist(settings.mapMinDist()),
                (stage, f) -> progress.report("map " + stage, f)).layout(graph);
        progress.report("hdbscan", 0);
        HdbscanResult result = new Hdbscan(new Hdbscan.Params(settings.minClusterSize(), settings.minSamples()))
                .fit(space);
        progress.report("hdbscan", 1);
        return new Clustering(result.labels(), result.probabilities(), result.outlierScores(), result.clusterCount(),
                map);
    }
}
