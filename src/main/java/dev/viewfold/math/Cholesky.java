package dev.viewfold.math;

/**
 * Cholesky factorisation of symmetric positive definite matrices, and what it is used for here:
 * solving a fold's small system ({@code gmp}) and inverting a view covariance (whitening). Both are
 * at most a few thousand square, which does not justify a linear-algebra dependency. Triangular
 * results are jagged: row i holds columns 0..i.
 */
public final class Cholesky {

    private Cholesky() {
    }

    /**
     * The lower factor L of {@code A = L·Lᵀ}; only A's lower triangle is read.
     *
     * @throws IllegalArgumentException when A is not positive definite
     */
    public static double[][] lower(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][];
        for (int i = 0; i < n; i++) {
            l[i] = new double[i + 1];
            double[] li = l[i];
            for (int j = 0; j <= i; j++) {
                double[] lj = l[j];
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= li[k] * lj[k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("matrix is not positive definite at row " + i);
                    }
                    li[i] = Math.sqrt(s);
                } else {
                    li[j] = s / lj[j];
                }
            }
        }
        return l;
    }

    /** Solves {@code A x = b}. @throws IllegalArgumentException when A is not positive definite */
    public static double[] solve(double[][] a, double[] b) {
        double[][] l = lower(a);
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    /** The inverse of a lower triangular matrix (as {@link #lower} gives it), itself lower triangular. */
    public static double[][] lowerInverse(double[][] l) {
        int n = l.length;
        double[][] x = new double[n][];
        double[] acc = new double[n];
        for (int i = 0; i < n; i++) {
            // Row i of L⁻¹: x[i][j] = (δij − Σ_{j≤k<i} L[i][k]·x[k][j]) / L[i][i], accumulated row-wise.
            java.util.Arrays.fill(acc, 0, i + 1, 0);
            double[] li = l[i];
            for (int k = 0; k < i; k++) {
                double a = li[k];
                double[] xk = x[k];
                for (int j = 0; j <= k; j++) {
                    acc[j] += a * xk[j];
                }
            }
            x[i] = new double[i + 1];
            for (int j = 0; j < i; j++) {
                x[i][j] = -acc[j] / li[i];
            }
            x[i][i] = 1 / li[i];
        }
        return x;
    }
}
