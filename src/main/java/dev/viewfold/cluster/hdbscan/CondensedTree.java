package dev.viewfold.cluster.hdbscan;

import java.util.Arrays;

/**
 * The condensed cluster tree, read top-down from the single-linkage tree with R
 * {@code dbscan::hdbscan}'s rules. Distances ("eps") are kept, not lambdas (1 / eps).
 *
 * <ul>
 *   <li>A merge whose two sides both hold at least {@code minClusterSize} points is a split: its
 *       cluster dies at that height and two child clusters are born there.</li>
 *   <li>Otherwise both sides stay in the parent's cluster. A point leaves its cluster at the height
 *       where it joins the dendrogram as a single point, or at the cluster's death if that is
 *       higher (the cluster split first). So points of a small side leave one by one, not all at
 *       the height where the small side detaches, as the Python {@code hdbscan} package does.</li>
 *   <li>A leaf cluster's death is the lowest merge inside it.</li>
 * </ul>
 * Cluster 0 is the root; children are numbered after their parent, so parents come first.
 */
final class CondensedTree {

    final int clusterCount;
    final int[] parent;
    /** First and second child cluster, -1 for leaves. */
    final int[] childA;
    final int[] childB;
    final double[] birth;
    final double[] death;
    /** Points the cluster holds when it splits; 0 for leaves. */
    final int[] sizeAtSplit;
    /** The cluster each point leaves, and the height (eps) at which it leaves. */
    final int[] pointCluster;
    final double[] pointEps;

    private CondensedTree(int clusters, int[] parent, int[] childA, int[] childB, double[] birth,
                          double[] death, int[] sizeAtSplit, int[] pointCluster, double[] pointEps) {
        this.clusterCount = clusters;
        this.parent = parent;
        this.childA = childA;
        this.childB = childB;
        this.birth = birth;
        this.death = death;
        this.sizeAtSplit = sizeAtSplit;
        this.pointCluster = pointCluster;
        this.pointEps = pointEps;
    }

    boolean isLeaf(int cluster) {
        return childA[cluster] < 0;
    }

    static CondensedTree of(SingleLinkageTree slt, int minClusterSize) {
        int n = slt.n();
        int m = n - 1;
        // At most one split per merge, two clusters each, plus the root.
        int cap = 1 + 2 * Math.max(0, n / Math.max(1, minClusterSize));
        int[] parent = new int[cap];
        int[] childA = new int[cap];
        int[] childB = new int[cap];
        double[] birth = new double[cap];
        double[] death = new double[cap];
        int[] sizeAtSplit = new int[cap];
        boolean[] split = new boolean[cap];
        Arrays.fill(childA, -1);
        Arrays.fill(childB, -1);
        int[] pointCluster = new int[n];
        double[] pointEps = new double[n];
        int[] clusterOfMerge = new int[Math.max(0, m)];
        int clusters = 1;
        parent[0] = -1;
        if (m > 0) {
            birth[0] = slt.height()[m - 1];
            death[0] = slt.height()[m - 1];
        }
        for (int k = m - 1; k >= 0; k--) {
            int c = clusterOfMerge[k];
            double h = slt.height()[k];
            int l = slt.left()[k];
            int r = slt.right()[k];
            boolean lPoint = l < n;
            boolean rPoint = r < n;
            if (lPoint || rPoint) {
                double eps = split[c] ? death[c] : h;
                if (lPoint) {
                    pointCluster[l] = c;
                    pointEps[l] = eps;
                } else {
                    clusterOfMerge[l - n] = c;
                }
                if (rPoint) {
                    pointCluster[r] = c;
                    pointEps[r] = eps;
                } else {
                    clusterOfMerge[r - n] = c;
                }
                if (lPoint && rPoint && !split[c]) {
                    death[c] = Math.min(death[c], h);
                }
                continue;
            }
            int sl = slt.size()[l - n];
            int sr = slt.size()[r - n];
            if (sl >= minClusterSize && sr >= minClusterSize) {
                death[c] = h;
                split[c] = true;
                sizeAtSplit[c] = sl + sr;
                int a = clusters++;
                int b = clusters++;
                childA[c] = a;
                childB[c] = b;
                parent[a] = c;
                parent[b] = c;
                birth[a] = h;
                birth[b] = h;
                death[a] = slt.height()[l - n];
                death[b] = slt.height()[r - n];
                clusterOfMerge[l - n] = a;
                clusterOfMerge[r - n] = b;
            } else {
                clusterOfMerge[l - n] = c;
                clusterOfMerge[r - n] = c;
            }
        }
        return new CondensedTree(clusters, parent, childA, childB, birth, death, sizeAtSplit,
                pointCluster, pointEps);
    }
}
