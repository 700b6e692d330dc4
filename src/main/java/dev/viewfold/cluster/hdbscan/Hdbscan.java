package dev.viewfold.cluster.hdbscan;

import java.util.Arrays;

/**
 * HDBSCAN (Campello, Moulavi and Sander 2013) on Euclidean points of low dimension, built to give
 * the same clusters as R's {@code dbscan::hdbscan(x, minPts)} without its n×n distance matrix.
 *
 * <p>Steps: exact core distances from a KD-tree; the minimum spanning tree of the mutual-reachability
 * graph by Borůvka rounds over the same tree; the single-linkage dendrogram; the condensed tree;
 * excess-of-mass selection (the root is never a cluster); membership probabilities and GLOSH outlier
 * scores. Memory is O(n·dim), time about O(n log n) for dimensions up to ~10. Deterministic: the same
 * points in the same order give the same result, whatever the number of threads (the kNN and
 * Borůvka searches run on the common fork-join pool).
 */
public final class Hdbscan {

    /**
     * @param minClusterSize fewest points a cluster may hold (R: {@code minPts})
     * @param minSamples     neighbourhood size for the core distance, counting the point itself: the
     *                       core distance is the distance to the {@code (minSamples - 1)}-th nearest
     *                       other point (R: {@code minPts}; Python {@code hdbscan}: {@code min_samples})
     */
    public record Params(int minClusterSize, int minSamples) {

        public Params {
            if (minClusterSize < 2) {
                throw new IllegalArgumentException("minClusterSize must be at least 2, got " + minClusterSize);
            }
            if (minSamples < 2) {
                throw new IllegalArgumentException("minSamples must be at least 2 (it counts the point itself), got "
                        + minSamples);
            }
        }

        /** The parameters R's {@code dbscan::hdbscan(x, minPts)} uses: minPts for both. */
        public static Params ofMinPts(int minPts) {
            if (minPts < 2) {
                throw new IllegalArgumentException("minPts must be at least 2, got " + minPts);
            }
            return new Params(minPts, minPts);
        }
    }

    private final Params params;

    public Hdbscan(Params params) {
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        this.params = params;
    }

    public Params params() {
        return params;
    }

    /** Clusters {@code points[i]}, all rows of the same length (≥ 1), finite values. */
    public HdbscanResult fit(float[][] points) {
        if (points == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        int n = points.length;
        if (n == 0) {
            return new HdbscanResult(new int[0], new double[0], new double[0], 0);
        }
        if (points[0] == null) {
            throw new IllegalArgumentException("point 0 is null");
        }
        int dim = points[0].length;
        double[] flat = new double[n * dim];
        for (int i = 0; i < n; i++) {
            float[] p = points[i];
            if (p == null || p.length != dim) {
                throw new IllegalArgumentException("point " + i + " has " + (p == null ? "no" : p.length)
                        + " coordinates, point 0 has " + dim);
            }
            for (int d = 0; d < dim; d++) {
                flat[i * dim + d] = p[d];
            }
        }
        return fit(flat, n, dim);
    }

    /** Clusters n = {@code flat.length / dim} points stored row after row. */
    public HdbscanResult fit(float[] flat, int dim) {
        if (flat == null) {
            throw new IllegalArgumentException("points must not be null");
        }
        if (dim < 1 || flat.length % dim != 0) {
            throw new IllegalArgumentException("dim must be ≥ 1 and divide the array length " + flat.length
                    + ", got " + dim);
        }
        double[] copy = new double[flat.length];
        for (int i = 0; i < flat.length; i++) {
            copy[i] = flat[i];
        }
        return fit(copy, flat.length / dim, dim);
    }

    private HdbscanResult fit(double[] points, int n, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("points need at least one coordinate");
        }
        for (int i = 0; i < points.length; i++) {
            if (!Double.isFinite(points[i])) {
                throw new IllegalArgumentException("point " + i / dim + " has a non-finite coordinate");
            }
        }
        if (n < params.minSamples()) {
            // Too few points for any core distance (R refuses this input): all noise.
            return allNoise(n);
        }
        KdTree tree = new KdTree(points, n, dim);
        double[] coreSq = CoreDistances.squared(tree, params.minSamples() - 1);
        BoruvkaMst.Edges mst = BoruvkaMst.of(tree, coreSq);
        SingleLinkageTree slt = SingleLinkageTree.of(n, mst);
        CondensedTree condensed = CondensedTree.of(slt, params.minClusterSize());
        boolean[] selected = ExcessOfMass.select(condensed, ExcessOfMass.stability(condensed));

        double[] core = new double[n];
        for (int i = 0; i < n; i++) {
            core[tree.original[i]] = Math.sqrt(coreSq[i]);
        }
        int[] labels = labels(condensed, selected, n);
        int clusters = renumberBySmallestMember(labels);
        return new HdbscanResult(labels, probabilities(labels, clusters, core), Glosh.scores(condensed), clusters);
    }

    private static HdbscanResult allNoise(int n) {
        int[] labels = new int[n];
        Arrays.fill(labels, HdbscanResult.NOISE);
        return new HdbscanResult(labels, new double[n], new double[n], 0);
    }

    /** A point belongs to the selected cluster it left or that is an ancestor of the one it left. */
    private static int[] labels(CondensedTree tree, boolean[] selected, int n) {
        int[] owner = new int[tree.clusterCount];
        for (int c = 0; c < tree.clusterCount; c++) {
            int p = tree.parent[c];
            owner[c] = selected[c] ? c : (p >= 0 ? owner[p] : HdbscanResult.NOISE);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = owner[tree.pointCluster[i]];
        }
        return labels;
    }

    /** Rewrites cluster ids to 0..c-1 in order of first appearance; returns c. */
    private static int renumberBySmallestMember(int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        int[] map = new int[max + 1];
        Arrays.fill(map, -1);
        int next = 0;
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l >= 0) {
                if (map[l] < 0) {
                    map[l] = next++;
                }
                labels[i] = map[l];
            }
        }
        return next;
    }

    /** R's membership: {@code (max core - core) / max core} within each cluster, 0 for noise. */
    private static double[] probabilities(int[] labels, int clusters, double[] core) {
        double[] maxCore = new double[clusters];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                maxCore[labels[i]] = Math.max(maxCore[labels[i]], core[i]);
            }
        }
        double[] prob = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l >= 0) {
                // A cluster of duplicates has max core 0 (R gives NaN): full membership.
                prob[i] = maxCore[l] > 0 ? (maxCore[l] - core[i]) / maxCore[l] : 1.0;
            }
        }
        return prob;
    }
}
