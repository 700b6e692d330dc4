package dev.viewfold.classify.linear;

/**
 * Limited-memory BFGS for smooth convex objectives (the two-loop recursion, Nocedal and Wright
 * algorithm 7.4), with a backtracking line search on the Armijo condition. Enough for the
 * regularised logistic losses here, which are strongly convex, so every curvature pair it keeps
 * has {@code s·y > 0}; a pair that does not is skipped rather than spoiling the inverse Hessian.
 *
 * <p>Deterministic: plain sequential double arithmetic, no randomness.
 */
final class Lbfgs {

    /** A differentiable function: returns f(x) and writes ∇f(x) into {@code gradient}. */
    interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /** Where it stopped: the point (the array handed in, updated), f there, iterations and whether the gradient test passed. */
    record Result(double value, int iterations, boolean converged) {
    }

    private static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;

    private Lbfgs() {
    }

    /**
     * Minimises {@code f} from {@code x} (updated in place) until the largest gradient component is at
     * most {@code tolerance}, f stops falling (relative change under 1e-10), or {@code maxIterations}.
     */
    static Result minimise(Objective f, double[] x, int maxIterations, double tolerance) {
        int n = x.length;
        double[][] s = new double[MEMORY][n];
        double[][] y = new double[MEMORY][n];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        double[] g = new double[n];
        double[] gNext = new double[n];
        double[] d = new double[n];
        double[] xNext = new double[n];
        double fx = f.evaluate(x, g);
        int stored = 0;
        int newest = -1;
        for (int it = 0; it < maxIterations; it++) {
            if (maxAbs(g) <= tolerance) {
                return new Result(fx, it, true);
            }
            // d = -H g by the two-loop recursion over the stored pairs, newest first.
            System.arraycopy(g, 0, d, 0, n);
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(newest - k, MEMORY);
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            if (stored > 0) {
                scale(dot(s[newest], y[newest]) / dot(y[newest], y[newest]), d);
            } else {
                scale(1 / Math.max(1e-12, Math.sqrt(dot(g, g))), d); // first step: unit length along -g
            }
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(newest - k, MEMORY);
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            scale(-1, d);
            double slope = dot(g, d);
            if (slope >= 0) { // not a descent direction (rounding): restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = dot(g, d);
            }
            double step = 1;
            double fNext;
            int tries = 0;
            while (true) {
                for (int i = 0; i < n; i++) {
                    xNext[i] = x[i] + step * d[i];
                }
                fNext = f.evaluate(xNext, gNext);
                if (fNext <= fx + ARMIJO * step * slope || ++tries >= 40) {
                    break;
                }
                step *= 0.5;
            }
            if (!(fNext <= fx)) {
                return new Result(fx, it, false); // no progress possible along d
            }
            double sy = 0;
            double yy = 0;
            for (int i = 0; i < n; i++) {
                double si = xNext[i] - x[i];
                double yi = gNext[i] - g[i];
                sy += si * yi;
                yy += yi * yi;
            }
            if (sy > 1e-12 * Math.max(yy, 1e-300)) { // otherwise the pair is dropped
                newest = (newest + 1) % MEMORY;
                for (int i = 0; i < n; i++) {
                    s[newest][i] = xNext[i] - x[i];
                    y[newest][i] = gNext[i] - g[i];
                }
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, MEMORY);
            }
            double change = fx - fNext;
            System.arraycopy(xNext, 0, x, 0, n);
            System.arraycopy(gNext, 0, g, 0, n);
            fx = fNext;
            if (change <= 1e-10 * Math.max(1, Math.abs(fx))) {
                return new Result(fx, it + 1, maxAbs(g) <= tolerance);
            }
        }
        return new Result(fx, maxIterations, maxAbs(g) <= tolerance);
    }

    private static double dot(double[] a, double[] b) {
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < a.length; i += 2) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
        }
        if (i < a.length) {
            s0 += a[i] * b[i];
        }
        return s0 + s1;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double a, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
