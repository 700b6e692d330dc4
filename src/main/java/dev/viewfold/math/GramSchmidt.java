package dev.viewfold.math;

/** Orthonormal columns, by modified Gram–Schmidt (projected out twice, which keeps it stable in double). */
public final class GramSchmidt {

    private GramSchmidt() {
    }

    /**
     * Makes {@code cols} orthonormal in place, each column against the ones before it. A column that
     * (nearly) vanishes, because the others already span its direction, is replaced by a fresh random
     * direction drawn from {@code refill} and made orthogonal in turn, or set to zero when
     * {@code refill} is null.
     *
     * @throws IllegalStateException when random directions keep vanishing (more columns than dimensions)
     */
    public static void orthonormalise(double[][] cols, Rng refill) {
        double scale = 0;
        for (double[] c : cols) {
            scale = Math.max(scale, norm(c));
        }
        for (int j = 0; j < cols.length; j++) {
            double[] c = cols[j];
            for (int attempt = 0; ; attempt++) {
                double before = norm(c);
                for (int twice = 0; twice < 2; twice++) {
                    for (int i = 0; i < j; i++) {
                        double[] b = cols[i];
                        double dot = 0;
                        for (int k = 0; k < c.length; k++) {
                            dot += b[k] * c[k];
                        }
                        for (int k = 0; k < c.length; k++) {
                            c[k] -= dot * b[k];
                        }
                    }
                }
                double after = norm(c);
                if (after > 1e-9 * Math.max(before, scale) && after > 0) {
                    for (int k = 0; k < c.length; k++) {
                        c[k] /= after;
                    }
                    break;
                }
                if (refill == null) {
                    java.util.Arrays.fill(c, 0);
                    break;
                }
                if (attempt > 8) {
                    throw new IllegalStateException("cannot complete an orthonormal basis");
                }
                for (int k = 0; k < c.length; k++) {
                    c[k] = refill.nextGaussian();
                }
            }
        }
    }

    private static double norm(double[] c) {
        double s = 0;
        for (double x : c) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
