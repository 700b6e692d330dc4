package dev.viewfold.cluster.umap;

import dev.viewfold.math.GramSchmidt;
import dev.viewfold.math.Rng;

/**
 * Principal components by subspace iteration on the covariance, never formed: each pass streams the
 * rows once ({@code Z = Σ (x−μ)(x−μ)ᵀ V}), so time is O(n·d·l) per pass and memory O(d·l).
 * A few passes are enough here: the components feed a neighbour search, not a publication. Wide,
 * tall inputs are fitted on a seeded sample of rows; every row is then projected.
 */
public final class Pca {

    private static final int ROWS_PER_CHUNK = 4096;
    private static final int OVERSAMPLE = 10;
    private static final int PASSES = 3;
    /** The axes are fitted on at most this many rows (a seeded sample): plenty to pin a covariance. */
    static final int MAX_FIT_ROWS = 16384;

    private final float[] mean;
    /** d × m, row-major: {@code components[dim * m + j]}. */
    private final float[] components;
    private final double[] variances;
    private final int dim;
    private final int m;

    private Pca(float[] mean, float[] components, double[] variances, int m) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.dim = mean.length;
        this.m = m;
    }

    /** Fits the first {@code components} principal axes (fewer when the data has fewer dimensions). */
    public static Pca fit(float[][] data, int components, long seed, int threads) {
        try (Chunks chunks = new Chunks(threads)) {
            return fit(data, components, seed, chunks);
        }
    }

    static Pca fit(float[][] all, int components, long seed, Chunks chunks) {
        float[][] data = sample(all, MAX_FIT_ROWS, seed);
        int n = data.length;
        int d = data[0].length;
        int m = Math.max(1, Math.min(components, d));
        int l = Math.min(d, m + OVERSAMPLE);
        float[] mean = mean(data, chunks);
        Rng rng = Rng.of(seed, 0x9CA);
        double[][] v = new double[l][d];
        for (double[] col : v) {
            for (int k = 0; k < d; k++) {
                col[k] = rng.nextGaussian();
            }
        }
        GramSchmidt.orthonormalise(v, null);
        double[][] z = null;
        for (int pass = 0; pass <= PASSES; pass++) {
            z = covarianceTimes(data, mean, v, chunks);
            if (pass < PASSES) {
                for (int j = 0; j < l; j++) {
                    System.arraycopy(z[j], 0, v[j], 0, d);
                }
                GramSchmidt.orthonormalise(v, null);
            }
        }
        // Rayleigh–Ritz: the eigenvectors of Vᵀ C V rotate V onto the principal axes.
        double[][] h = new double[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += v[i][k] * z[j][k];
                }
                h[i][j] = s;
            }
        }
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < i; j++) {
                double s = (h[i][j] + h[j][i]) / 2;
                h[i][j] = s;
                h[j][i] = s;
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(h);
        float[] comp = new float[d * m];
        double[] variances = new double[m];
        for (int j = 0; j < m; j++) {
            double[] w = eig.vectors[j];
            variances[j] = Math.max(0, eig.values[j]) / Math.max(1, n - 1);
            // Fix the sign so that the largest coordinate is positive: same axes, same output.
            double[] axis = new double[d];
            for (int i = 0; i < l; i++) {
                for (int k = 0; k < d; k++) {
                    axis[k] += w[i] * v[i][k];
                }
            }
            int arg = 0;
            for (int k = 1; k < d; k++) {
                if (Math.abs(axis[k]) > Math.abs(axis[arg])) {
                    arg = k;
                }
            }
            double sign = axis[arg] < 0 ? -1 : 1;
            for (int k = 0; k < d; k++) {
                comp[k * m + j] = (float) (sign * axis[k]);
            }
        }
        return new Pca(mean, comp, variances, m);
    }

    /** Up to {@code max} rows drawn without replacement, in input order; all rows if fewer. */
    private static float[][] sample(float[][] data, int max, long seed) {
        int n = data.length;
        if (n <= max) {
            return data;
        }
        // Selection sampling (Knuth's algorithm S): one seeded pass, indices come out sorted.
        Rng rng = Rng.of(seed, 0x5A3B1EL);
        float[][] out = new float[max][];
        int taken = 0;
        for (int i = 0; i < n && taken < max; i++) {
            if ((n - i) * rng.nextDouble() < max - taken) {
                out[taken++] = data[i];
            }
        }
        return out;
    }

    public int components() {
        return m;
    }

    /** Variance along each component, largest first. */
    public double[] variances() {
        return variances.clone();
    }

    /** Rows projected on the components (centred). */
    public float[][] transform(float[][] data, int threads) {
        try (Chunks chunks = new Chunks(threads)) {
            return transform(data, chunks);
        }
    }

    float[][] transform(float[][] data, Chunks chunks) {
        int n = data.length;
        float[][] out = new float[n][];
        chunks.run(Chunks.count(n, ROWS_PER_CHUNK), c -> {
            float[] xc = new float[dim];
            for (int r = c * ROWS_PER_CHUNK, end = Math.min(n, r + ROWS_PER_CHUNK); r < end; r++) {
                float[] x = data[r];
                for (int k = 0; k < dim; k++) {
                    xc[k] = x[k] - mean[k];
                }
                float[] y = new float[m];
                for (int k = 0; k < dim; k++) {
                    float a = xc[k];
                    int base = k * m;
                    for (int j = 0; j < m; j++) {
                        y[j] += a * components[base + j];
                    }
                }
                out[r] = y;
            }
        });
        return out;
    }

    private static float[] mean(float[][] data, Chunks chunks) {
        int n = data.length;
        int d = data[0].length;
        int count = Chunks.count(n, ROWS_PER_CHUNK);
        double[][] partial = new double[count][];
        chunks.run(count, c -> {
            double[] s = new double[d];
            for (int r = c * ROWS_PER_CHUNK, end = Math.min(n, r + ROWS_PER_CHUNK); r < end; r++) {
                float[] x = data[r];
                for (int k = 0; k < d; k++) {
                    s[k] += x[k];
                }
            }
            partial[c] = s;
        });
        float[] mean = new float[d];
        double[] total = new double[d];
        for (double[] p : partial) {
            for (int k = 0; k < d; k++) {
                total[k] += p[k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] = (float) (total[k] / n);
        }
        return mean;
    }

    /** {@code Z = Σᵢ (xᵢ−μ)(xᵢ−μ)ᵀ V}, chunk sums added in chunk order. Columns of V are rows here. */
    private static double[][] covarianceTimes(float[][] data, float[] mean, double[][] v, Chunks chunks) {
        int n = data.length;
        int d = mean.length;
        int l = v.length;
        float[] vf = new float[d * l];
        for (int j = 0; j < l; j++) {
            for (int k = 0; k < d; k++) {
                vf[k * l + j] = (float) v[j][k];
            }
        }
        int count = Chunks.count(n, ROWS_PER_CHUNK);
        float[][] partial = new float[count][];
        chunks.run(count, c -> {
            float[] z = new float[d * l];
            float[] xc = new float[d];
            float[] y = new float[l];
            for (int r = c * ROWS_PER_CHUNK, end = Math.min(n, r + ROWS_PER_CHUNK); r < end; r++) {
                float[] x = data[r];
                for (int k = 0; k < d; k++) {
                    xc[k] = x[k] - mean[k];
                }
                java.util.Arrays.fill(y, 0f);
                for (int k = 0; k < d; k++) {
                    float a = xc[k];
                    int base = k * l;
                    for (int j = 0; j < l; j++) {
                        y[j] += a * vf[base + j];
                    }
                }
                for (int k = 0; k < d; k++) {
                    float a = xc[k];
                    int base = k * l;
                    for (int j = 0; j < l; j++) {
                        z[base + j] += a * y[j];
                    }
                }
            }
            partial[c] = z;
        });
        double[][] out = new double[l][d];
        for (float[] z : partial) {
            for (int k = 0; k < d; k++) {
                int base = k * l;
                for (int j = 0; j < l; j++) {
                    out[j][k] += z[base + j];
                }
            }
        }
        return out;
    }
}
