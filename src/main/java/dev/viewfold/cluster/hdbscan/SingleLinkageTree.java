package dev.viewfold.cluster.hdbscan;

import dev.viewfold.math.UnionFind;

import java.util.Arrays;

/**
 * The single-linkage dendrogram of a spanning tree: merge k joins {@code left[k]} and
 * {@code right[k]} at {@code height[k]} into a group of {@code size[k]} points. A child below n is
 * a point; n + j is merge j. Merges are in order of increasing height, ties broken by the edge's
 * endpoints (smaller, then larger index), as R's {@code hclust} order is by height.
 */
record SingleLinkageTree(int n, int[] left, int[] right, double[] height, int[] size) {

    static SingleLinkageTree of(int n, BoruvkaMst.Edges mst) {
        int m = mst.weight().length;
        Integer[] order = new Integer[m];
        for (int e = 0; e < m; e++) {
            order[e] = e;
        }
        int[] a = mst.a();
        int[] b = mst.b();
        double[] w = mst.weight();
        Arrays.sort(order, (x, y) -> {
            int c = Double.compare(w[x], w[y]);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(Math.min(a[x], b[x]), Math.min(a[y], b[y]));
            return c != 0 ? c : Integer.compare(Math.max(a[x], b[x]), Math.max(a[y], b[y]));
        });
        int[] left = new int[m];
        int[] right = new int[m];
        double[] height = new double[m];
        int[] size = new int[m];
        UnionFind sets = new UnionFind(n);
        // The dendrogram node that currently stands for each set, keyed by the set's root.
        int[] node = new int[n];
        for (int i = 0; i < n; i++) {
            node[i] = i;
        }
        for (int k = 0; k < m; k++) {
            int e = order[k];
            int ra = sets.find(a[e]);
            int rb = sets.find(b[e]);
            int na = node[ra];
            int nb = node[rb];
            left[k] = Math.min(na, nb);
            right[k] = Math.max(na, nb);
            height[k] = w[e];
            size[k] = sizeOf(na, n, size) + sizeOf(nb, n, size);
            sets.union(ra, rb);
            node[sets.find(ra)] = n + k;
        }
        return new SingleLinkageTree(n, left, right, height, size);
    }

    private static int sizeOf(int child, int n, int[] size) {
        return child < n ? 1 : size[child - n];
    }
}
