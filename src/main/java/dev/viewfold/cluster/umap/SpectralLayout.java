package dev.viewfold.cluster.umap;

/**
 * The spectral start layout: the leading non-trivial eigenvectors of the graph's normalised
 * adjacency D^-½ W D^-½ (the smallest of the normalised Laplacian, as umap-learn takes them), by
 * block power iteration on (I + D^-½ W D^-½)/2 with the trivial vector √d projected out, then
 * Rayleigh–Ritz. Exact convergence is not the point: a few hundred steps leave only the smooth,
 * low-frequency directions, which is what a start layout needs. O(n·k) per step.
 */
final class SpectralLayout {

    private static final int EXTRA = 4;
    private static final int STEPS = 250;
    private static final int ROWS_PER_CHUNK = 8192;

    private SpectralLayout() {
    }

    /**
     * n × dim, flat; or null when the graph is not connected (umap-learn then lays out components
     * one by one; here the caller falls back to PCA) or too small for the eigenvectors asked for.
     */
    static float[] of(FuzzyGraph graph, int dim, long seed, Chunks chunks) {
        int n = graph.n();
        int p = dim + EXTRA;
        if (n <= p + 1 || components(graph) > 1) {
            return null;
        }
        double[] invSqrtDeg = new double[n];
        double[] trivial = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double deg = 0;
            for (int t = graph.rowStart()[i]; t < graph.rowStart()[i + 1]; t++) {
                deg += graph.weights()[t];
            }
            invSqrtDeg[i] = deg > 0 ? 1 / Math.sqrt(deg) : 0;
            trivial[i] = Math.sqrt(deg);
            norm += deg;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            trivial[i] /= norm;
        }
        Rng rng = Rng.of(seed, 0x5BEC7L);
        double[][] block = new double[p][n];
        for (double[] v : block) {
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian();
            }
        }
        orthonormalise(block, trivial);
        double[][] next = new double[p][n];
        for (int step = 0; step < STEPS; step++) {
            multiply(graph, invSqrtDeg, block, next, chunks);
            double[][] t = block;
            block = next;
            next = t;
            orthonormalise(block, trivial);
        }
        // Rayleigh–Ritz in the block: H = Vᵀ S V.
        multiply(graph, invSqrtDeg, block, next, chunks);
        double[][] h = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += block[a][i] * next[b][i];
                }
                h[a][b] = s;
            }
        }
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < a; b++) {
                double s = (h[a][b] + h[b][a]) / 2;
                h[a][b] = s;
                h[b][a] = s;
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(h);
        float[] out = new float[n * dim];
        for (int d = 0; d < dim; d++) {
            double[] w = eig.vectors[d];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int a = 0; a < p; a++) {
                    s += w[a] * block[a][i];
                }
                out[i * dim + d] = (float) s;
            }
        }
        return out;
    }

    /** {@code out = (I + D^-½ W D^-½) v / 2} for every vector of the block; rows in parallel chunks. */
    private static void multiply(FuzzyGraph g, double[] invSqrtDeg, double[][] in, double[][] out, Chunks chunks) {
        int n = g.n();
        int p = in.length;
        chunks.run(Chunks.count(n, ROWS_PER_CHUNK), c -> {
            double[] acc = new double[p];
            for (int i = c * ROWS_PER_CHUNK, end = Math.min(n, i + ROWS_PER_CHUNK); i < end; i++) {
                java.util.Arrays.fill(acc, 0);
                for (int t = g.rowStart()[i]; t < g.rowStart()[i + 1]; t++) {
                    int j = g.columns()[t];
                    double w = g.weights()[t] * invSqrtDeg[j];
                    for (int a = 0; a < p; a++) {
                        acc[a] += w * in[a][j];
                    }
                }
                for (int a = 0; a < p; a++) {
                    out[a][i] = 0.5 * (in[a][i] + invSqrtDeg[i] * acc[a]);
                }
            }
        });
    }

    private static void orthonormalise(double[][] block, double[] trivial) {
        for (double[] v : block) {
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * trivial[i];
            }
            for (int i = 0; i < v.length; i++) {
                v[i] -= dot * trivial[i];
            }
        }
        Pca.orthonormalise(block);
    }

    /** Connected components, by union–find over the edges. */
    static int components(FuzzyGraph g) {
        int n = g.n();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        int count = n;
        for (int i = 0; i < n; i++) {
            for (int t = g.rowStart()[i]; t < g.rowStart()[i + 1]; t++) {
                int a = find(parent, i);
                int b = find(parent, g.columns()[t]);
                if (a != b) {
                    parent[Math.max(a, b)] = Math.min(a, b);
                    count--;
                }
            }
        }
        return count;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
