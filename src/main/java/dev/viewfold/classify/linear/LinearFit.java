package dev.viewfold.classify.linear;

import dev.viewfold.groups.Labelled;
import dev.viewfold.math.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Fits {@link LinearModel}s by L-BFGS ({@link Lbfgs}) and chooses their regularisation by stratified
 * k-fold cross-validation, as scikit-learn's {@code LogisticRegressionCV} does: each fold walks the
 * C grid upwards, each fit starting from the previous one's weights, and the C with the best
 * out-of-fold accuracy wins (ties: the lower out-of-fold log-loss, then the smaller C).
 *
 * <p>Written here rather than taken from a library: no permissively licensed, maintained Java
 * library on hand fits a multinomial L2 logistic regression (commons-math3 has no L-BFGS and is
 * unmaintained; liblinear-java is one-versus-rest only; Smile is GPL; Tribuo's linear trainers are
 * SGD, built on reflective configuration, and test-scope here), and the problem is small: a few
 * thousand rows of at most a few thousand dimensions.
 *
 * <p>Deterministic for a seed: the fold split is seeded, every fold's arithmetic is sequential, and
 * folds run in parallel into their own slots, so the thread count never changes a bit of the result.
 */
public final class LinearFit {

    static final long FOLD_STREAM = 0xF01DL;

    /**
     * @param features      how vectors become features
     * @param cGrid         the values of C to try, ascending
     * @param folds         cross-validation folds (at least 2)
     * @param seed          seeds the fold split
     * @param maxIterations L-BFGS iterations per fit at most
     * @param tolerance     L-BFGS stops when no gradient component exceeds this
     */
    public record Settings(Features features, double[] cGrid, int folds, long seed, int maxIterations,
                           double tolerance) {

        public Settings {
            if (cGrid == null || cGrid.length == 0) {
                throw new IllegalArgumentException("the C grid is empty");
            }
            for (int i = 0; i < cGrid.length; i++) {
                if (!(cGrid[i] > 0) || !Double.isFinite(cGrid[i]) || i > 0 && cGrid[i] <= cGrid[i - 1]) {
                    throw new IllegalArgumentException("the C grid must be positive and ascending: "
                            + Arrays.toString(cGrid));
                }
            }
            if (folds < 2) {
                throw new IllegalArgumentException("cross-validation needs at least 2 folds, not " + folds);
            }
            cGrid = cGrid.clone();
        }

        /** {@code count} values of C spaced evenly in log10 from {@code lo} to {@code hi}. */
        public static double[] logGrid(double lo, double hi, int count) {
            double[] g = new double[count];
            for (int i = 0; i < count; i++) {
                g[i] = Math.pow(10, lo + (hi - lo) * i / Math.max(1, count - 1));
            }
            return g;
        }

        public Settings withFeatures(Features f) {
            return new Settings(f, cGrid, folds, seed, maxIterations, tolerance);
        }

        public Settings withGrid(double[] grid) {
            return new Settings(features, grid, folds, seed, maxIterations, tolerance);
        }

        public Settings withSeed(long s) {
            return new Settings(features, cGrid, folds, s, maxIterations, tolerance);
        }
    }

    /**
     * Out-of-fold figures, per row of the data cross-validated, at the chosen C.
     *
     * @param accuracyPerC out-of-fold top-1 accuracy at each C of the grid
     * @param probabilities each row's group probabilities from the fold model that did not see it
     * @param similarity    each row's {@link LinearModel#similarity} under that fold model
     * @param comparable    whether one of the row's groups had rows in its fold model's training part (a row
     *                      whose every group it lacked says nothing about how the model treats known groups)
     */
    public record CrossValidated(double c, double accuracy, double[] accuracyPerC, double[][] probabilities,
                                 double[] similarity, boolean[] comparable) {
    }

    private LinearFit() {
    }

    /** The sorted groups of the rows, and whether any row has several (one-versus-rest then). */
    public static List<String> groupsOf(List<Labelled> rows) {
        return rows.stream().flatMap(r -> r.labels().stream()).distinct().sorted().toList();
    }

    public static boolean multiLabel(List<Labelled> rows) {
        return rows.stream().anyMatch(r -> r.labels().size() > 1);
    }

    /**
     * Cross-validates the grid on {@code rows}, scoring over {@code groups} (a superset of theirs).
     * The feature map is fitted once on all of {@code rows} (it learns nothing from the labels).
     */
    public static CrossValidated crossValidate(List<Labelled> rows, List<String> groups, boolean multiLabel,
                                               Settings s) {
        int n = rows.size();
        int[] fold = folds(rows, s.folds(), s.seed());
        int nc = s.cGrid().length;
        int k = groups.size();
        Design all = Design.of(rows, groups, multiLabel, s.features());
        float[][][] probs = new float[nc][n][];
        double[] similarity = new double[n];
        boolean[] comparable = new boolean[n];
        IntStream.range(0, s.folds()).parallel().forEach(f -> {
            int[] train = IntStream.range(0, n).filter(i -> fold[i] != f).toArray();
            int[] test = IntStream.range(0, n).filter(i -> fold[i] == f).toArray();
            if (test.length == 0 || train.length == 0) {
                return;
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i : train) {
                seen.addAll(rows.get(i).labels());
            }
            float[] prototypes = prototypes(rows, train, groups, all.dim);
            for (int i : test) {
                similarity[i] = similarity(rows.get(i).vector(), prototypes, k, all.dim);
                comparable[i] = rows.get(i).labels().stream().anyMatch(seen::contains);
            }
            double[] theta = new double[LinearLoss.parameterCount(all.r, k)];
            for (int ci = 0; ci < nc; ci++) {
                Lbfgs.minimise(all.loss(s.cGrid()[ci], train), theta, s.maxIterations(), s.tolerance());
                for (int i : test) {
                    double[] p = all.probabilities(theta, i);
                    float[] pf = new float[k];
                    for (int g = 0; g < k; g++) {
                        pf[g] = (float) p[g];
                    }
                    probs[ci][i] = pf;
                }
            }
        });
        double[] acc = new double[nc];
        double[] logLoss = new double[nc];
        int counted = 0;
        for (int i = 0; i < n; i++) {
            counted += comparable[i] ? 1 : 0;
        }
        for (int ci = 0; ci < nc; ci++) {
            for (int i = 0; i < n; i++) {
                if (!comparable[i]) {
                    continue;
                }
                float[] p = probs[ci][i];
                int top = argmax(p);
                double best = 0;
                for (String l : rows.get(i).labels()) {
                    best = Math.max(best, p[groups.indexOf(l)]);
                }
                acc[ci] += rows.get(i).labels().contains(groups.get(top)) ? 1 : 0;
                logLoss[ci] -= Math.log(Math.max(best, 1e-12));
            }
            acc[ci] /= Math.max(1, counted);
        }
        int chosen = 0;
        for (int ci = 1; ci < nc; ci++) {
            if (acc[ci] > acc[chosen] || acc[ci] == acc[chosen] && logLoss[ci] < logLoss[chosen]) {
                chosen = ci;
            }
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            float[] p = probs[chosen][i];
            out[i] = new double[k];
            if (p != null) {
                for (int g = 0; g < k; g++) {
                    out[i][g] = p[g];
                }
            }
        }
        return new CrossValidated(s.cGrid()[chosen], acc[chosen], acc, out, similarity, comparable);
    }

    /** Fits on every row with the given C. */
    public static LinearModel fit(List<Labelled> rows, List<String> groups, boolean multiLabel, double c,
                                  Settings s) {
        Design d = Design.of(rows, groups, multiLabel, s.features());
        int[] every = IntStream.range(0, rows.size()).toArray();
        double[] theta = new double[LinearLoss.parameterCount(d.r, groups.size())];
        // Walk up to c along the grid's smaller values first: each fit starts near the next one's optimum.
        for (double step : s.cGrid()) {
            if (step < c) {
                Lbfgs.minimise(d.loss(step, every), theta, s.maxIterations(), s.tolerance());
            }
        }
        Lbfgs.minimise(d.loss(c, every), theta, s.maxIterations(), s.tolerance());
        return d.model(theta, c, prototypes(rows, every, groups, d.dim));
    }

    /** Each group's normalised mean of the unit vectors of {@code members}; a row of zeros for a group with none. */
    static float[] prototypes(List<Labelled> rows, int[] members, List<String> groups, int dim) {
        int k = groups.size();
        Map<String, Integer> id = new TreeMap<>();
        for (int g = 0; g < k; g++) {
            id.put(groups.get(g), g);
        }
        double[] sums = new double[k * dim];
        for (int i : members) {
            float[] v = rows.get(i).vector();
            double ss = 0;
            for (float x : v) {
                ss += (double) x * x;
            }
            double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            for (String l : rows.get(i).labels()) {
                int off = id.get(l) * dim;
                for (int j = 0; j < dim; j++) {
                    sums[off + j] += v[j] * inv;
                }
            }
        }
        float[] out = new float[k * dim];
        for (int g = 0; g < k; g++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += sums[g * dim + j] * sums[g * dim + j];
            }
            double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            for (int j = 0; j < dim; j++) {
                out[g * dim + j] = (float) (sums[g * dim + j] * inv);
            }
        }
        return out;
    }

    /** The largest cosine between {@code v} and a prototype. */
    static double similarity(float[] v, float[] prototypes, int groups, int dim) {
        double ss = 0;
        for (float x : v) {
            ss += (double) x * x;
        }
        double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
        double best = -1;
        for (int g = 0; g < groups; g++) {
            double dot = 0;
            for (int j = 0; j < dim; j++) {
                dot += v[j] * prototypes[g * dim + j];
            }
            best = Math.max(best, dot * inv);
        }
        return best;
    }

    /** Stratified by each row's first group: every group's rows are dealt round the folds in a seeded order. */
    static int[] folds(List<Labelled> rows, int folds, long seed) {
        Map<String, List<Integer>> byGroup = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byGroup.computeIfAbsent(rows.get(i).labels().iterator().next(), g -> new ArrayList<>()).add(i);
        }
        Rng rng = Rng.of(seed, FOLD_STREAM);
        int[] fold = new int[rows.size()];
        int next = 0;
        for (List<Integer> members : byGroup.values()) {
            int[] order = members.stream().mapToInt(Integer::intValue).toArray();
            rng.shuffle(order);
            for (int i : order) {
                fold[i] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int g = 1; g < p.length; g++) {
            if (p[g] > p[best]) {
                best = g;
            }
        }
        return best;
    }

    /**
     * The rows as features and targets. With fewer rows than dimensions the weights that minimise an
     * L2-penalised loss lie in the span of the rows, so the fit runs in an orthonormal basis of that
     * span (n instead of dim columns, the same optimum): with the Cholesky factor L of the rows' Gram
     * matrix, the rows are X = L·Q for orthonormal Q, their coordinates are L's rows, and weights V in
     * those coordinates are W = Qᵀ·V = Xᵀ·L⁻ᵀ·V in the features' own.
     */
    private record Design(List<Labelled> rows, double[] x, int n, int dim, double[] coords, int r, double[][] chol,
                          List<String> groups, int[] target, byte[] member, boolean multiLabel, Features.Map map) {

        static Design of(List<Labelled> rows, List<String> groups, boolean multiLabel, Features features) {
            int n = rows.size();
            int dim = rows.get(0).vector().length;
            int k = groups.size();
            Map<String, Integer> id = new TreeMap<>();
            for (int g = 0; g < k; g++) {
                id.put(groups.get(g), g);
            }
            for (Labelled r : rows) {
                if (r.vector().length != dim) {
                    throw new IllegalArgumentException("mixed dimensions: item " + r.id() + " has "
                            + r.vector().length + " where the first item has " + dim);
                }
            }
            Features.Map map = Features.Map.fit(features, rows.stream().map(Labelled::vector).toList(), dim);
            double[] x = new double[n * dim];
            int[] target = multiLabel ? null : new int[n];
            byte[] member = multiLabel ? new byte[n * k] : null;
            for (int i = 0; i < n; i++) {
                Labelled r = rows.get(i);
                map.apply(r.vector(), x, i * dim);
                for (String l : r.labels()) {
                    if (multiLabel) {
                        member[i * k + id.get(l)] = 1;
                    }
                }
                if (!multiLabel) {
                    target[i] = id.get(r.labels().iterator().next());
                }
            }
            if (n >= dim) {
                return new Design(rows, x, n, dim, x, dim, null, groups, target, member, multiLabel, map);
            }
            double[][] chol = gramFactor(x, n, dim);
            double[] coords = new double[n * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(chol[i], 0, coords, i * n, i + 1);
            }
            return new Design(rows, x, n, dim, coords, n, chol, groups, target, member, multiLabel, map);
        }

        /** L with X·Xᵀ = L·Lᵀ; a jitter on the diagonal, grown as needed, where rows repeat or depend on each other. */
        private static double[][] gramFactor(double[] x, int n, int dim) {
            double[][] g = new double[n][];
            double trace = 0;
            for (int i = 0; i < n; i++) {
                g[i] = new double[i + 1];
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int c = 0; c < dim; c++) {
                        s += x[i * dim + c] * x[j * dim + c];
                    }
                    g[i][j] = s;
                }
                trace += g[i][i];
            }
            double jitter = 1e-10 * trace / n;
            for (int attempt = 0; ; attempt++) {
                double[][] a = new double[n][];
                for (int i = 0; i < n; i++) {
                    a[i] = g[i].clone();
                    a[i][i] += jitter;
                }
                try {
                    return dev.viewfold.math.Cholesky.lower(a);
                } catch (IllegalArgumentException notPositive) {
                    if (attempt == 8) {
                        throw notPositive;
                    }
                    jitter *= 100;
                }
            }
        }

        /** The loss on the rows {@code subset} (their coordinates copied out). */
        LinearLoss loss(double c, int[] subset) {
            int k = groups.size();
            double[] xs = new double[subset.length * r];
            int[] t = target == null ? null : new int[subset.length];
            byte[] m = member == null ? null : new byte[subset.length * k];
            for (int a = 0; a < subset.length; a++) {
                int i = subset[a];
                System.arraycopy(coords, i * r, xs, a * r, r);
                if (t != null) {
                    t[a] = target[i];
                } else {
                    System.arraycopy(member, i * k, m, a * k, k);
                }
            }
            return new LinearLoss(xs, subset.length, r, k, t, m, c);
        }

        /** Row i's group probabilities under the weights {@code theta} (in coordinates). */
        double[] probabilities(double[] theta, int i) {
            int k = groups.size();
            double[] z = new double[k];
            System.arraycopy(theta, r * k, z, 0, k);
            for (int j = 0; j < r; j++) {
                double v = coords[i * r + j];
                if (v != 0) {
                    for (int g = 0; g < k; g++) {
                        z[g] += v * theta[j * k + g];
                    }
                }
            }
            if (multiLabel) {
                for (int g = 0; g < k; g++) {
                    z[g] = LinearLoss.sigmoid(z[g]);
                }
                return z;
            }
            LinearLoss.softmaxResidual(z, 0);
            z[0] += 1;
            return z;
        }

        LinearModel model(double[] theta, double c, float[] prototypes) {
            int k = groups.size();
            double[] w = new double[dim * k];
            if (chol == null) {
                System.arraycopy(theta, 0, w, 0, dim * k);
            } else {
                // U = L⁻ᵀ·V by back substitution, one group's column at a time; then W = Xᵀ·U.
                double[] u = new double[n * k];
                for (int g = 0; g < k; g++) {
                    for (int i = n - 1; i >= 0; i--) {
                        double s = theta[i * k + g];
                        for (int j = i + 1; j < n; j++) {
                            s -= chol[j][i] * u[j * k + g];
                        }
                        u[i * k + g] = s / chol[i][i];
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int c2 = 0; c2 < dim; c2++) {
                        double xi = x[i * dim + c2];
                        if (xi != 0) {
                            for (int g = 0; g < k; g++) {
                                w[c2 * k + g] += xi * u[i * k + g];
                            }
                        }
                    }
                }
            }
            float[] wf = new float[dim * k];
            for (int p = 0; p < wf.length; p++) {
                wf[p] = (float) w[p];
            }
            float[] b = new float[k];
            for (int g = 0; g < k; g++) {
                b[g] = (float) theta[r * k + g];
            }
            return new LinearModel(groups, multiLabel, map, c, dim, wf, b, prototypes);
        }
    }
}
