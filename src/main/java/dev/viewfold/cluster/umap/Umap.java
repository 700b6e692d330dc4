package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

import java.util.Objects;

/**
 * UMAP (McInnes, Healy & Melville 2018) in plain Java, after umap-learn's defaults: approximate
 * k-nearest-neighbour graph (NN-descent, exact for small inputs), fuzzy simplicial set, spectral or
 * PCA initialisation, then SGD with negative sampling. Memory is O(n·k) beyond the input (and, for
 * COSINE, one normalised copy of it): no n×n matrix anywhere. The same seed and input give the same
 * output, whatever the thread count.
 *
 * <pre>{@code
 * float[][] xy = new Umap(Umap.Params.defaults().withSeed(7)).fit(vectors);
 * }</pre>
 */
public final class Umap {

    /** Receives a stage name and the fraction of that stage done, from the calling thread or a worker. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (stage, fraction) -> { };

        void report(String stage, double fraction);
    }

    /**
     * The settings, umap-learn's defaults unless said otherwise.
     *
     * @param nNeighbors         neighbours per point, the point itself included (15)
     * @param nComponents        output dimensions (2)
     * @param minDist            smallest distance between embedded points (0.1)
     * @param spread             scale of embedded distances (1.0); minDist ≤ spread
     * @param nEpochs            SGD epochs; 0 picks umap-learn's: 500 up to 10,000 points, else 200
     * @param negativeSampleRate negative samples per positive one (5)
     * @param learningRate       initial SGD step (1.0), decays linearly to 0
     * @param metric             input distance (COSINE: right for embeddings)
     * @param init               starting layout (SPECTRAL)
     * @param pcaComponents      0: search neighbours in the input space; else first project the
     *                           (normalised) input on this many principal components, a large
     *                           speed-up for wide inputs such as 1280-d embeddings (see RESULTS.md)
     * @param seed               all randomness derives from it
     * @param threads            worker threads for PCA, the neighbour search, the start layout and
     *                           the SGD (results do not depend on it)
     */
    public record Params(int nNeighbors, int nComponents, double minDist, double spread, int nEpochs,
            int negativeSampleRate, double learningRate, Metric metric, Init init, int pcaComponents, long seed,
            int threads) {

        public Params {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(init, "init");
            require(nNeighbors >= 2, "nNeighbors must be at least 2, got " + nNeighbors);
            require(nComponents >= 1, "nComponents must be at least 1, got " + nComponents);
            require(Double.isFinite(spread) && spread > 0, "spread must be a positive number, got " + spread);
            require(Double.isFinite(minDist) && minDist >= 0, "minDist must be ≥ 0, got " + minDist);
            require(minDist <= spread, "minDist (" + minDist + ") must not exceed spread (" + spread + ")");
            require(nEpochs >= 0, "nEpochs must be ≥ 0 (0 = automatic), got " + nEpochs);
            require(negativeSampleRate >= 0, "negativeSampleRate must be ≥ 0, got " + negativeSampleRate);
            require(Double.isFinite(learningRate) && learningRate > 0,
                    "learningRate must be a positive number, got " + learningRate);
            require(pcaComponents >= 0, "pcaComponents must be ≥ 0 (0 = no PCA), got " + pcaComponents);
            require(threads >= 1, "threads must be at least 1, got " + threads);
        }

        public static Params defaults() {
            return new Params(15, 2, 0.1, 1.0, 0, 5, 1.0, Metric.COSINE, Init.SPECTRAL, 0, 42,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
        }

        public Params withNNeighbors(int v) {
            return new Params(v, nComponents, minDist, spread, nEpochs, negativeSampleRate, learningRate, metric,
                    init, pcaComponents, seed, threads);
        }

        public Params withNComponents(int v) {
            return new Params(nNeighbors, v, minDist, spread, nEpochs, negativeSampleRate, learningRate, metric,
                    init, pcaComponents, seed, threads);
        }

        public Params withMinDist(double v) {
            return new Params(nNeighbors, nComponents, v, spread, nEpochs, negativeSampleRate, learningRate, metric,
                    init, pcaComponents, seed, threads);
        }

        public Params withSpread(double v) {
            return new Params(nNeighbors, nComponents, minDist, v, nEpochs, negativeSampleRate, learningRate, metric,
                    init, pcaComponents, seed, threads);
        }

        public Params withNEpochs(int v) {
            return new Params(nNeighbors, nComponents, minDist, spread, v, negativeSampleRate, learningRate, metric,
                    init, pcaComponents, seed, threads);
        }

        public Params withNegativeSampleRate(int v) {
            return new Params(nNeighbors, nComponents, minDist, spread, nEpochs, v, learningRate, metric, init,
                    pcaComponents, seed, threads);
        }

        public Params withLearningRate(double v) {
            return new Params(nNeighbors, nComponents, minDist, spread, nEpochs, negativeSampleRate, v, metric, init,
                    pcaComponents, seed, threads);
        }

        public Params withMetric(Metric v) {
            return new Params(nNeighbors, nComponents, minDist, spread, nEpochs, negativeSampleRate, learningRate, v,
                    init, pcaComponents, seed, threads);
        }

        public Params withInit(Init v) {
            return new Params(nNeighbors, nComponents, minDist, spread, nEpochs, negativeSampleRate, learningRate,
                    metric, v, pcaComponents, seed, threads);
        }

        public Params withPcaComponents(int v) {
            return new Params(nNeighbors, nComponents, minDist, spread, nEpochs, negativeSampleRate, learningRate,
                    metric, init, v, seed, threads);
        }

        public Params withSeed(long v) {
            return new Params(nNeighbors, nComponents, minDist, spread, nEpochs, negativeSampleRate, learningRate,
                    metric, init, pcaComponents, v, threads);
        }

        public Params withThreads(int v) {
            return new Params(nNeighbors, nComponents, minDist, spread, nEpochs, negativeSampleRate, learningRate,
                    metric, init, pcaComponents, seed, v);
        }

        /** The epochs a fit of {@code n} points runs. */
        public int epochsFor(int n) {
            return nEpochs > 0 ? nEpochs : (n <= 10_000 ? 500 : 200);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /** Above this many n²·d operations the neighbour search is approximate (NN-descent). */
    private static final long EXACT_KNN_BUDGET = 2_000_000_000L;

    private final Params params;
    private final Progress progress;

    public Umap(Params params) {
        this(params, Progress.NONE);
    }

    public Umap(Params params, Progress progress) {
        this.params = Objects.requireNonNull(params, "params");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public Params params() {
        return params;
    }

    /**
     * Embeds the rows of {@code data} (n × d, all rows of one length, finite values; not modified).
     *
     * @return n × nComponents coordinates, in the order of the rows
     */
    public float[][] fit(float[][] data) {
        return layout(graph(data));
    }

    /**
     * The fuzzy neighbour graph of {@code data} (same contract as {@link #fit}): the costly half of a
     * fit, which layouts of several dimensions (a 2-d map, a 5-d space to cluster in) can share.
     * Uses nNeighbors, metric, pcaComponents, seed and threads of this instance's parameters.
     */
    public Graph graph(float[][] data) {
        int n = checkData(data);
        if (n == 1) {
            return new Graph(data, false, null);
        }
        try (Chunks chunks = new Chunks(params.threads())) {
            float[][] points = params.metric() == Metric.COSINE ? normalised(data) : data;
            boolean projected = params.pcaComponents() > 0 && params.pcaComponents() < points[0].length;
            if (projected) {
                progress.report("pca", 0);
                points = Pca.fit(points, params.pcaComponents(), params.seed(), chunks).transform(points, chunks);
                progress.report("pca", 1);
            }
            int k = Math.min(params.nNeighbors(), n);
            progress.report("neighbours", 0);
            KnnGraph knn = (long) n * n * points[0].length <= EXACT_KNN_BUDGET
                    ? ExactKnn.of(points, k, chunks)
                    : NnDescent.of(points, k, params.seed(), chunks, f -> progress.report("neighbours", f));
            progress.report("neighbours", 1);
            return new Graph(points, projected, FuzzyGraph.of(knn, metricDistances(knn)));
        }
    }

    /**
     * Lays out a graph from {@link #graph}: start layout and SGD with this instance's nComponents,
     * minDist, spread, epochs, sampling, learning rate, init, seed and threads.
     *
     * @return n × nComponents coordinates, in the order of the graph's rows
     */
    public float[][] layout(Graph graph) {
        Objects.requireNonNull(graph, "graph");
        int n = graph.size();
        int dimOut = params.nComponents();
        if (graph.fuzzy == null) {
            return new float[n][dimOut];
        }
        try (Chunks chunks = new Chunks(params.threads())) {
            progress.report("init", 0);
            float[] embedding = initialLayout(graph.points, graph.projected, graph.fuzzy, chunks);
            progress.report("init", 1);
            LayoutOptimizer.optimize(embedding, dimOut, graph.fuzzy, CurveFit.of(params.spread(), params.minDist()),
                    params.epochsFor(n), params.learningRate(), params.negativeSampleRate(), params.seed(), chunks,
                    f -> progress.report("layout", f));
            float[][] out = new float[n][dimOut];
            for (int i = 0; i < n; i++) {
                System.arraycopy(embedding, i * dimOut, out[i], 0, dimOut);
            }
            return out;
        }
    }

    /**
     * Lays out a graph from earlier positions instead of the spectral start: a row with a non-null
     * {@code start} begins there, any other at the weighted mean of its already placed neighbours
     * (rows with none placed within a few hops: at the centre of the placed ones). Then SGD runs
     * for {@code epochShare} of the usual epochs from {@code learningRate}; a short, gentle run
     * moves old rows little and settles the new ones among them, as umap-learn's transform does
     * for new points.
     *
     * @param start n rows of nComponents coordinates, null where a row has no earlier position
     */
    public float[][] layoutFrom(Graph graph, float[][] start, double epochShare, double learningRate) {
        return layoutFrom(graph, start, epochShare, learningRate, false);
    }

    /**
     * As above; with {@code keepPlaced}, every row with a {@code start} stays exactly there and only
     * the others move (umap-learn's transform, which holds its training points).
     */
    public float[][] layoutFrom(Graph graph, float[][] start, double epochShare, double learningRate,
                                boolean keepPlaced) {
        Objects.requireNonNull(graph, "graph");
        int n = graph.size();
        int dimOut = params.nComponents();
        if (start == null || start.length != n) {
            throw new IllegalArgumentException("start must have one row per graph row (" + n + ")");
        }
        if (graph.fuzzy == null) {
            return new float[n][dimOut];
        }
        float[] embedding = WarmStart.of(graph.fuzzy, start, dimOut, params.seed());
        if (embedding == null) { // nothing placed before: the usual start
            return layout(graph);
        }
        boolean[] fixed = null;
        if (keepPlaced) {
            fixed = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (start[i] != null) {
                    fixed[i] = true;
                    System.arraycopy(start[i], 0, embedding, i * dimOut, dimOut); // without the start's jitter
                }
            }
        }
        if (epochShare <= 0) { // the earlier layout kept as it is, new rows where their neighbours are
            float[][] out = new float[n][dimOut];
            for (int i = 0; i < n; i++) {
                System.arraycopy(embedding, i * dimOut, out[i], 0, dimOut);
            }
            return out;
        }
        try (Chunks chunks = new Chunks(params.threads())) {
            int epochs = Math.max(1, (int) Math.round(params.epochsFor(n) * epochShare));
            LayoutOptimizer.optimize(embedding, dimOut, graph.fuzzy, CurveFit.of(params.spread(), params.minDist()),
                    epochs, learningRate, params.negativeSampleRate(), params.seed(), chunks,
                    f -> progress.report("layout", f), fixed);
            float[][] out = new float[n][dimOut];
            for (int i = 0; i < n; i++) {
                System.arraycopy(embedding, i * dimOut, out[i], 0, dimOut);
            }
            return out;
        }
    }

    /** A fuzzy neighbour graph and the (normalised, possibly PCA-projected) points it was built from. */
    public static final class Graph {
        private final float[][] points;
        private final boolean projected;
        private final FuzzyGraph fuzzy; // null for a single point

        private Graph(float[][] points, boolean projected, FuzzyGraph fuzzy) {
            this.points = points;
            this.projected = projected;
            this.fuzzy = fuzzy;
        }

        public int size() {
            return points.length;
        }
    }

    private float[] initialLayout(float[][] points, boolean projected, FuzzyGraph graph, Chunks chunks) {
        int n = points.length;
        int dimOut = params.nComponents();
        float[] layout = null;
        if (params.init() == Init.SPECTRAL) {
            layout = SpectralLayout.of(graph, points, dimOut, params.seed(), chunks);
        }
        if (layout == null) {
            layout = new float[n * dimOut];
            float[][] pcs = projected ? points
                    : Pca.fit(points, dimOut, params.seed(), chunks).transform(points, chunks);
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < Math.min(dimOut, pcs[i].length); d++) {
                    layout[i * dimOut + d] = pcs[i][d];
                }
            }
        }
        // As umap-learn: largest coordinate 10, a little noise, then each axis rescaled to [0, 10].
        float max = 0;
        for (float v : layout) {
            max = Math.max(max, Math.abs(v));
        }
        float expansion = max > 0 ? 10f / max : 1f;
        Rng rng = Rng.of(params.seed(), 0x1417L);
        for (int t = 0; t < layout.length; t++) {
            layout[t] = layout[t] * expansion + (float) (rng.nextGaussian() * 1e-4);
        }
        for (int d = 0; d < dimOut; d++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                lo = Math.min(lo, layout[i * dimOut + d]);
                hi = Math.max(hi, layout[i * dimOut + d]);
            }
            float scale = hi > lo ? 10f / (hi - lo) : 0f;
            for (int i = 0; i < n; i++) {
                layout[i * dimOut + d] = (layout[i * dimOut + d] - lo) * scale;
            }
        }
        return layout;
    }

    /** kNN distances in the chosen metric (the search itself ranks by squared Euclidean). */
    private float[] metricDistances(KnnGraph knn) {
        float[] sq = knn.squaredDistances();
        float[] out = new float[sq.length];
        for (int t = 0; t < sq.length; t++) {
            // Unit vectors: 1 − cos = ‖x − y‖² / 2.
            out[t] = params.metric() == Metric.COSINE ? Math.min(2f, sq[t] / 2f) : (float) Math.sqrt(sq[t]);
        }
        return out;
    }

    private static int checkData(float[][] data) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("data must have at least one row");
        }
        int d = -1;
        for (int i = 0; i < data.length; i++) {
            float[] row = data[i];
            if (row == null || row.length == 0) {
                throw new IllegalArgumentException("row " + i + " is empty");
            }
            if (d >= 0 && row.length != d) {
                throw new IllegalArgumentException("row " + i + " has " + row.length + " values, row 0 has " + d);
            }
            d = row.length;
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("row " + i + " has a non-finite value: " + v);
                }
            }
        }
        return data.length;
    }

    /** Rows scaled to unit length (zero rows stay zero); a copy. */
    static float[][] normalised(float[][] data) {
        float[][] out = new float[data.length][];
        for (int i = 0; i < data.length; i++) {
            float[] row = data[i];
            double s = 0;
            for (float v : row) {
                s += (double) v * v;
            }
            float inv = s > 0 ? (float) (1 / Math.sqrt(s)) : 0f;
            float[] r = new float[row.length];
            for (int k = 0; k < row.length; k++) {
                r[k] = row[k] * inv;
            }
            out[i] = r;
        }
        return out;
    }
}
