package dev.viewfold.cluster.hdbscan;

/**
 * A static KD-tree over n points of low dimension (2–10), stored as flat arrays.
 *
 * <p>Points are copied into tree order ({@link #coords}, position {@code i} holds original point
 * {@link #original}{@code [i]}), so every leaf is a contiguous, cache-friendly slice. Nodes are
 * numbered in pre-order; a node's points are positions {@code [start, end)} and its bounding box is
 * {@code lo/hi[node * dim + d]}. Splits are at the median of the widest box side, found by a
 * deterministic quickselect, so the same input always builds the same tree.
 */
final class KdTree {

    static final int LEAF_SIZE = 16;

    final int n;
    final int dim;
    /** Coordinates in tree order: position i at {@code coords[i * dim .. i * dim + dim)}. */
    final double[] coords;
    /** Tree position → index of the point in the caller's input. */
    final int[] original;

    final int nodeCount;
    final int[] start;
    final int[] end;
    /** Child nodes; -1 for leaves. */
    final int[] left;
    final int[] right;
    final double[] lo;
    final double[] hi;

    private int nextNode;

    KdTree(double[] points, int n, int dim) {
        this.n = n;
        this.dim = dim;
        this.original = new int[n];
        for (int i = 0; i < n; i++) {
            original[i] = i;
        }
        // A tree of leaves of at least LEAF_SIZE / 2 points has fewer than 4n / LEAF_SIZE nodes.
        int maxNodes = Math.max(1, 4 * (n / LEAF_SIZE + 1));
        start = new int[maxNodes];
        end = new int[maxNodes];
        left = new int[maxNodes];
        right = new int[maxNodes];
        lo = new double[maxNodes * dim];
        hi = new double[maxNodes * dim];
        build(points, 0, n);
        nodeCount = nextNode;
        coords = new double[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(points, original[i] * dim, coords, i * dim, dim);
        }
    }

    boolean isLeaf(int node) {
        return left[node] < 0;
    }

    /** Squared distance from tree position {@code i} to the box of {@code node} (0 inside it). */
    double boxDistanceSq(int i, int node) {
        double sum = 0;
        int p = i * dim;
        int b = node * dim;
        for (int d = 0; d < dim; d++) {
            double x = coords[p + d];
            double below = lo[b + d] - x;
            double above = x - hi[b + d];
            double gap = below > 0 ? below : (above > 0 ? above : 0);
            sum += gap * gap;
        }
        return sum;
    }

    /** Squared Euclidean distance between tree positions i and j, summed in dimension order. */
    double distanceSq(int i, int j) {
        double sum = 0;
        int p = i * dim;
        int q = j * dim;
        for (int d = 0; d < dim; d++) {
            double diff = coords[p + d] - coords[q + d];
            sum += diff * diff;
        }
        return sum;
    }

    private int build(double[] points, int from, int to) {
        int node = nextNode++;
        start[node] = from;
        end[node] = to;
        int b = node * dim;
        for (int d = 0; d < dim; d++) {
            lo[b + d] = Double.POSITIVE_INFINITY;
            hi[b + d] = Double.NEGATIVE_INFINITY;
        }
        for (int i = from; i < to; i++) {
            int p = original[i] * dim;
            for (int d = 0; d < dim; d++) {
                double x = points[p + d];
                if (x < lo[b + d]) {
                    lo[b + d] = x;
                }
                if (x > hi[b + d]) {
                    hi[b + d] = x;
                }
            }
        }
        int widest = 0;
        for (int d = 1; d < dim; d++) {
            if (hi[b + d] - lo[b + d] > hi[b + widest] - lo[b + widest]) {
                widest = d;
            }
        }
        if (to - from <= LEAF_SIZE || hi[b + widest] <= lo[b + widest]) {
            // Small enough, or all points identical: no split can separate them.
            left[node] = -1;
            right[node] = -1;
            return node;
        }
        int mid = (from + to) >>> 1;
        select(points, from, to - 1, mid, widest);
        left[node] = build(points, from, mid);
        right[node] = build(points, mid, to);
        return node;
    }

    /** Hoare quickselect on {@link #original}[lo..hi] by coordinate d, median-of-three pivots. */
    private void select(double[] points, int lo, int hi, int k, int d) {
        while (hi > lo) {
            int m = (lo + hi) >>> 1;
            double a = value(points, lo, d);
            double b = value(points, m, d);
            double c = value(points, hi, d);
            double pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (value(points, i, d) < pivot) {
                    i++;
                }
                while (value(points, j, d) > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = original[i];
                    original[i] = original[j];
                    original[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private double value(double[] points, int position, int d) {
        return points[original[position] * dim + d];
    }
}
