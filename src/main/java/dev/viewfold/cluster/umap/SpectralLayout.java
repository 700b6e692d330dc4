package dev.viewfold.cluster.umap;

import dev.viewfold.math.GramSchmidt;

import dev.viewfold.math.Rng;

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
     * n × dim, flat; or null when the graph is too small for the eigenvectors asked for. A graph in
     * several pieces is laid out as umap-learn's multi_component_layout does: each piece's own
     * spectral layout, scaled into a ball of half the gap to the nearest other piece, around the piece's
     * place in a layout of the pieces' centroids (PCA of the centroids here).
     */
    static float[] of(FuzzyGraph graph, float[][] points, int dim, long seed, Chunks chunks) {
        int n = graph.n();
        int[] label = new int[n];
        int count = components(graph, label);
        if (count == 1) {
            return connected(graph, dim, seed, chunks);
        }
        int d = points[0].length;
        float[][] centroids = new float[count][d];
        int[] size = new int[count];
        for (int i = 0; i < n; i++) {
            size[label[i]]++;
            for (int k = 0; k < d; k++) {
                centroids[label[i]][k] += points[i][k];
            }
        }
        for (int c = 0; c < count; c++) {
            for (int k = 0; k < d; k++) {
                centroids[c][k] /= size[c];
            }
        }
        float[][] meta = Pca.fit(centroids, dim, seed, chunks).transform(centroids, chunks);
        float[] out = new float[n * dim];
        int[][] members = new int[count][];
        int[] fill = new int[count];
        for (int c = 0; c < count; c++) {
            members[c] = new int[size[c]];
        }
        for (int i = 0; i < n; i++) {
            members[label[i]][fill[label[i]]++] = i;
        }
        for (int c = 0; c < count; c++) {
            double gap = Double.MAX_VALUE;
            for (int o = 0; o < count; o++) {
                if (o != c) {
                    gap = Math.min(gap, Math.sqrt(SquaredEuclidean.of(meta[c], meta[o])));
                }
            }
            if (!(gap > 0) || gap == Double.MAX_VALUE) {
                return null; // pieces on top of one another: no sensible arrangement, caller uses PCA
            }
            double range = gap / 2;
            int[] idx = members[c];
            float[] local = connected(subgraph(graph, idx, label, c), dim, seed + c, chunks);
            Rng rng = Rng.of(seed, 0xC0_0000L + c);
            double max = 0; // largest distance from the piece's origin: the piece fits a ball of radius range
            if (local != null) {
                for (int t = 0; t < idx.length; t++) {
                    double r = 0;
                    for (int k = 0; k < dim; k++) {
                        r += local[t * dim + k] * local[t * dim + k];
                    }
                    max = Math.max(max, Math.sqrt(r));
                }
            }
            for (int t = 0; t < idx.length; t++) {
                for (int k = 0; k < dim; k++) {
                    double v = local != null && max > 0 ? local[t * dim + k] * range / max
                            : (rng.nextDouble() * 2 - 1) * range / Math.sqrt(dim); // too few points: random, in the ball
                    double centre = k < meta[c].length ? meta[c][k] : 0; // fewer input dimensions than output ones
                    out[idx[t] * dim + k] = (float) (centre + v);
                }
            }
        }
        return out;
    }

    /** The piece {@code c} of the graph, renumbered 0..size−1 in the order of {@code idx}. */
    private static FuzzyGraph subgraph(FuzzyGraph g, int[] idx, int[] label, int c) {
        int[] local = new int[g.n()];
        for (int t = 0; t < idx.length; t++) {
            local[idx[t]] = t;
        }
        int[] start = new int[idx.length + 1];
        int nnz = 0;
        for (int t = 0; t < idx.length; t++) {
            nnz += g.rowStart()[idx[t] + 1] - g.rowStart()[idx[t]];
            start[t + 1] = nnz;
        }
        int[] cols = new int[nnz];
        float[] w = new float[nnz];
        int pos = 0;
        for (int i : idx) {
            for (int e = g.rowStart()[i]; e < g.rowStart()[i + 1]; e++) {
                cols[pos] = local[g.columns()[e]]; // same piece by definition, and idx ascends
                w[pos++] = g.weights()[e];
            }
        }
        return new FuzzyGraph(idx.length, start, cols, w);
    }

    /** The spectral layout of a connected graph, or null when it has too few points. */
    private static float[] connected(FuzzyGraph graph, int dim, long seed, Chunks chunks) {
        int n = graph.n();
        int p = dim + EXTRA;
        if (n <= p + 1) {
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
        GramSchmidt.orthonormalise(block, null);
    }

    /** Connected components, by union–find over the edges; {@code label[i]} numbers them 0.. in order. */
    static int components(FuzzyGraph g, int[] label) {
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
        int[] number = new int[n];
        java.util.Arrays.fill(number, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = find(parent, i);
            if (number[r] < 0) {
                number[r] = next++;
            }
            label[i] = number[r];
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
