package dev.viewfold.groups;

import dev.viewfold.math.GramSchmidt;
import dev.viewfold.math.Rng;

/**
 * The top principal axes of the training vectors about the origin (not the mean): the directions
 * that best keep their inner products, so that a head starting from them retrieves almost as the
 * raw embeddings do. Subspace iteration on {@code XᵀX}, never formed: each pass streams the rows
 * twice, O(n·d·m). A few passes are enough: training refines the axes anyway.
 */
final class PrincipalAxes {

    static final int PASSES = 4;

    private PrincipalAxes() {
    }

    /**
     * {@code m} orthonormal rows of {@code d} floats spanning (about) the top-m axes of the rows,
     * {@code m ≤ d}. When the rows span fewer than m dimensions the remaining axes are seeded random
     * directions orthogonal to them, so that the head still passes what training never saw.
     */
    static float[][] top(float[][] rows, int m, Rng rng) {
        int d = rows[0].length;
        if (m > d) {
            throw new IllegalArgumentException(m + " axes in " + d + " dimensions");
        }
        double[][] cols = new double[m][d];
        for (double[] c : cols) {
            gaussian(c, rng);
        }
        GramSchmidt.orthonormalise(cols, rng);
        float[] vt = new float[d * m];
        float[] y = new float[m];
        float[] z = new float[d * m];
        for (int pass = 0; pass < PASSES; pass++) {
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < d; k++) {
                    vt[k * m + j] = (float) cols[j][k];
                }
            }
            java.util.Arrays.fill(z, 0f);
            for (float[] x : rows) {
                java.util.Arrays.fill(y, 0f);
                for (int k = 0; k < d; k++) {
                    float a = x[k];
                    if (a != 0f) {
                        int base = k * m;
                        for (int j = 0; j < m; j++) {
                            y[j] += a * vt[base + j];
                        }
                    }
                }
                for (int k = 0; k < d; k++) {
                    float a = x[k];
                    if (a != 0f) {
                        int base = k * m;
                        for (int j = 0; j < m; j++) {
                            z[base + j] += a * y[j];
                        }
                    }
                }
            }
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < d; k++) {
                    cols[j][k] = z[k * m + j];
                }
            }
            GramSchmidt.orthonormalise(cols, rng);
        }
        float[][] out = new float[m][d];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < d; k++) {
                out[j][k] = (float) cols[j][k];
            }
        }
        return out;
    }

    private static void gaussian(double[] c, Rng rng) {
        for (int k = 0; k < c.length; k++) {
            c[k] = rng.nextGaussian();
        }
    }
}
