package dev.viewfold.groups;

import dev.viewfold.math.Cholesky;

import java.util.List;

/**
 * Learned whitening from the views of observations: a {@link HeadKind#LINEAR} head that divides out
 * the directions in which views of one observation differ (turning the object, changing the light)
 * and keeps those in which observations differ. The supervision is free: every observation with two
 * or more views says "these are the same thing". This is the learned whitening of Radenović, Tolias
 * &amp; Chum (2018, "Fine-tuning CNN image retrieval with no human annotation"), fitted on an
 * observation's views instead of mined pairs.
 *
 * <p>With {@code μ} the mean of all views and {@code C} the within-observation covariance (each view
 * less its observation's mean), shrunk towards {@code s·trace(C)/d·I}, the head is
 * {@code x ↦ L⁻¹(x − μ)}, L the Cholesky factor of C. Every whitening of C is this one up to a
 * rotation, and cosine similarity does not see rotations, so no eigendecomposition is needed.
 *
 * <p>Why it matters for folding: in the raw space one view is closer to another view taken from
 * the same angle than to its observation's mean, so indexing every view (best view wins) beats one
 * folded vector; after whitening the view-to-view differences are noise of unit size in every
 * direction, a mean of views is the best one-vector summary, and a fold matches the best view
 * (RESULTS "Aggregate").
 */
public final class ViewWhitening {

    /** Share of the average within-observation variance added to every direction (measured: RESULTS). */
    public static final double DEFAULT_SHRINK = 0.3;

    /** Largest shrink accepted: beyond it the head is the raw space, centred. */
    public static final double MAX_SHRINK = 1e6;

    private ViewWhitening() {
    }

    /**
     * Whether {@code shrink} can be fitted with: null if so, else the sentence to answer. The CLI and
     * the HTTP function ask before they start.
     */
    public static String shrinkProblem(double shrink) {
        return shrink > 0 && shrink <= MAX_SHRINK ? null
                : "shrink must be a number above 0 and at most 1e6 (default " + DEFAULT_SHRINK + "), not " + shrink;
    }

    /**
     * Fits the head on observations given as their views (unit vectors, outliers already left out).
     * Observations with one view add to the mean only.
     *
     * @throws IllegalArgumentException with fewer than two observations of two or more views, vectors
     *     of different lengths, or views that do not vary at all
     */
    public static ProjectionHead fit(List<float[][]> observations, double shrink) {
        String problem = shrinkProblem(shrink);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int d = -1;
        int multiView = 0;
        long views = 0;
        for (float[][] o : observations) {
            for (float[] v : o) {
                if (d < 0) {
                    d = v.length;
                } else if (v.length != d) {
                    throw new IllegalArgumentException("views of " + d + " and " + v.length + " dimensions");
                }
            }
            views += o.length;
            multiView += o.length >= 2 ? 1 : 0;
        }
        if (d > ProjectionHead.MAX_OUTPUT_DIM) {
            throw new IllegalArgumentException("whitening keeps every dimension, and a head has at most "
                    + ProjectionHead.MAX_OUTPUT_DIM + ", not " + d);
        }
        if (multiView < 2) {
            throw new IllegalArgumentException("whitening learns from observations with two or more views; "
                    + (multiView == 0 ? "none has" : "only one has") + " (upload several photos per observation)");
        }
        double[] mean = new double[d];
        for (float[][] o : observations) {
            for (float[] v : o) {
                for (int k = 0; k < d; k++) {
                    mean[k] += v[k];
                }
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= views;
        }
        double[][] c = withinCovariance(observations, d);
        double trace = 0;
        for (int k = 0; k < d; k++) {
            trace += c[k][k];
        }
        if (!(trace > 0)) {
            throw new IllegalArgumentException("the views of every observation are identical: nothing to whiten");
        }
        double ridge = shrink * trace / d;
        for (int k = 0; k < d; k++) {
            c[k][k] += ridge;
        }
        double[][] factor;
        try {
            factor = Cholesky.lower(c);
        } catch (IllegalArgumentException e) { // rounding, with a ridge far below the views' own variance
            throw new IllegalArgumentException("the views' covariance is singular even with shrink " + shrink
                    + ": raise it (default " + DEFAULT_SHRINK + ")");
        }
        double[][] inverse = Cholesky.lowerInverse(factor);
        // LINEAR layout (Dense): W input-major, z_j = Σ_i x_i·W[i·d + j] + b_j, so W[i][j] = L⁻¹[j][i].
        float[] params = new float[d * d + d];
        for (int j = 0; j < d; j++) {
            double b = 0;
            double[] row = inverse[j];
            for (int i = 0; i <= j; i++) {
                params[i * d + j] = (float) row[i];
                b -= row[i] * mean[i];
            }
            params[d * d + j] = (float) b;
        }
        return new ProjectionHead(HeadKind.LINEAR, d, 0, d, params);
    }

    /** Lower triangle of Σ (v − m_o)(v − m_o)ᵀ / n over the views of observations with two or more. */
    private static double[][] withinCovariance(List<float[][]> observations, int d) {
        double[][] c = new double[d][];
        for (int i = 0; i < d; i++) {
            c[i] = new double[i + 1];
        }
        double[] m = new double[d];
        double[] r = new double[d];
        long n = 0;
        for (float[][] o : observations) {
            if (o.length < 2) {
                continue;
            }
            java.util.Arrays.fill(m, 0);
            for (float[] v : o) {
                for (int k = 0; k < d; k++) {
                    m[k] += v[k];
                }
            }
            for (int k = 0; k < d; k++) {
                m[k] /= o.length;
            }
            for (float[] v : o) {
                for (int k = 0; k < d; k++) {
                    r[k] = v[k] - m[k];
                }
                for (int i = 0; i < d; i++) {
                    double ri = r[i];
                    double[] row = c[i];
                    for (int j = 0; j <= i; j++) {
                        row[j] += ri * r[j];
                    }
                }
                n++;
            }
        }
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= n;
            }
        }
        return c; // jagged lower triangle: all that Cholesky.lower reads
    }
}
