package dev.viewfold.cluster.hdbscan;

/**
 * Cluster stability and excess-of-mass selection over a {@link CondensedTree}.
 *
 * <p>Stability of cluster C, with lambda = 1 / eps: the sum over points that leave C of
 * {@code lambda(leave) - lambda(birth)}, plus, when C splits, {@code size at split × (lambda(death)
 * - lambda(birth))}. Walking up, a cluster is kept over its descendants only when its stability is
 * at least the sum of their best scores (R keeps children only when they are strictly better). The
 * root is never selected, as R's and the Python package's default ({@code
 * allow_single_cluster = False}): a tree whose root never splits yields only noise.
 */
final class ExcessOfMass {

    /** Heights of 0 (duplicate points) would make lambda infinite; cap lambda instead. */
    private static final double MIN_EPS = 1e-300;

    private ExcessOfMass() {
    }

    static double lambda(double eps) {
        return 1.0 / Math.max(eps, MIN_EPS);
    }

    static double[] stability(CondensedTree tree) {
        double[] s = new double[tree.clusterCount];
        for (int p = 0; p < tree.pointCluster.length; p++) {
            int c = tree.pointCluster[p];
            s[c] += lambda(tree.pointEps[p]) - lambda(tree.birth[c]);
        }
        for (int c = 0; c < tree.clusterCount; c++) {
            if (tree.sizeAtSplit[c] > 0) {
                s[c] += tree.sizeAtSplit[c] * (lambda(tree.death[c]) - lambda(tree.birth[c]));
            }
        }
        return s;
    }

    /** Selected clusters as a flag per cluster; none are flagged when the root never splits. */
    static boolean[] select(CondensedTree tree, double[] stability) {
        int count = tree.clusterCount;
        double[] score = new double[count];
        boolean[] keepSelf = new boolean[count];
        // Children are numbered after their parents: a backwards pass sees children first.
        for (int c = count - 1; c >= 0; c--) {
            if (tree.isLeaf(c)) {
                score[c] = stability[c];
                keepSelf[c] = true;
            } else {
                double children = score[tree.childA[c]] + score[tree.childB[c]];
                keepSelf[c] = !(stability[c] < children);
                score[c] = keepSelf[c] ? stability[c] : children;
            }
        }
        boolean[] selected = new boolean[count];
        if (tree.isLeaf(0)) {
            return selected;
        }
        // Top-down: the first kept cluster on each path from the root is selected.
        int[] stack = new int[count];
        int top = 0;
        stack[top++] = tree.childA[0];
        stack[top++] = tree.childB[0];
        while (top > 0) {
            int c = stack[--top];
            if (keepSelf[c]) {
                selected[c] = true;
            } else {
                stack[top++] = tree.childA[c];
                stack[top++] = tree.childB[c];
            }
        }
        return selected;
    }
}
