package dev.viewfold.classify.linear;

import java.util.List;

/**
 * How a stored vector becomes the linear model's input. Every kind starts from the L2-normalised
 * vector, as cosine search sees it.
 */
public enum Features {
    /** The unit vector as it is. */
    UNIT(0),
    /** Signed square root of each component, then L2-normalised again (the Hellinger map): damps the few large activations of pooled CNN features. */
    SQRT(1),
    /** The unit vector standardised per component with the training rows' mean and spread. */
    STANDARD(2);

    final int code;

    Features(int code) {
        this.code = code;
    }

    static Features ofCode(int code) {
        for (Features f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown feature map code " + code);
    }

    /** The fitted map: for {@link #STANDARD} the training rows' means and inverse spreads, else empty arrays. */
    record Map(Features kind, double[] mean, double[] inverseSpread) {

        static Map fit(Features kind, List<float[]> rows, int dim) {
            if (kind != STANDARD) {
                return new Map(kind, new double[0], new double[0]);
            }
            double[] mean = new double[dim];
            double[] sq = new double[dim];
            double[] u = new double[dim];
            for (float[] r : rows) {
                base(UNIT, r, u, 0);
                for (int j = 0; j < dim; j++) {
                    mean[j] += u[j];
                    sq[j] += u[j] * u[j];
                }
            }
            int n = rows.size();
            double meanVar = 0;
            double[] var = new double[dim];
            for (int j = 0; j < dim; j++) {
                mean[j] /= n;
                var[j] = Math.max(0, sq[j] / n - mean[j] * mean[j]);
                meanVar += var[j] / dim;
            }
            // A component that hardly varies in the training rows must not be blown up into noise.
            double floor = 1e-2 * meanVar + 1e-12;
            double[] inv = new double[dim];
            for (int j = 0; j < dim; j++) {
                inv[j] = 1 / Math.sqrt(var[j] + floor);
            }
            return new Map(kind, mean, inv);
        }

        /** Writes the features of {@code v} into {@code out[off, off + v.length)}. */
        void apply(float[] v, double[] out, int off) {
            base(kind, v, out, off);
            if (kind == STANDARD) {
                for (int j = 0; j < v.length; j++) {
                    out[off + j] = (out[off + j] - mean[j]) * inverseSpread[j];
                }
            }
        }

        private static void base(Features kind, float[] v, double[] out, int off) {
            double ss = 0;
            for (float x : v) {
                ss += (double) x * x;
            }
            double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            if (kind != SQRT) {
                for (int j = 0; j < v.length; j++) {
                    out[off + j] = v[j] * inv;
                }
                return;
            }
            double s2 = 0;
            for (int j = 0; j < v.length; j++) {
                double u = v[j] * inv;
                double r = Math.copySign(Math.sqrt(Math.abs(u)), u);
                out[off + j] = r;
                s2 += r * r;
            }
            double inv2 = s2 > 0 ? 1 / Math.sqrt(s2) : 0;
            for (int j = 0; j < v.length; j++) {
                out[off + j] *= inv2;
            }
        }
    }
}
