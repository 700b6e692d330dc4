package dev.viewfold.cluster.hdbscan;

import java.util.stream.IntStream;

/**
 * Core distance of every point: the distance to its {@code (minSamples - 1)}-th nearest other
 * point, i.e. the {@code minSamples}-th nearest when the point counts itself (R's
 * {@code dbscan::hdbscan} uses {@code kNNdist(x, minPts - 1)}; Python's {@code min_samples} counts
 * the point itself the same way). Exact search on the KD-tree; duplicates of a point count as
 * neighbours at distance 0, the point itself does not.
 */
final class CoreDistances {

    private CoreDistances() {
    }

    /** Squared core distances in tree order; requires {@code 1 <= neighbours < tree.n}. */
    static double[] squared(KdTree tree, int neighbours) {
        double[] coreSq = new double[tree.n];
        // Each point's search is independent, so the parallel result is the sequential one.
        IntStream.range(0, chunks(tree.n)).parallel().forEach(c -> {
            double[] heap = new double[neighbours];
            int from = (int) ((long) tree.n * c / chunks(tree.n));
            int to = (int) ((long) tree.n * (c + 1) / chunks(tree.n));
            for (int i = from; i < to; i++) {
                coreSq[i] = kthNeighbourSq(tree, i, heap);
            }
        });
        return coreSq;
    }

    static int chunks(int n) {
        return Math.max(1, Math.min(n / 256, 64));
    }

    /** Squared distance from tree position i to its k-th nearest other point, k = heap.length. */
    private static double kthNeighbourSq(KdTree tree, int i, double[] heap) {
        java.util.Arrays.fill(heap, Double.POSITIVE_INFINITY);
        search(tree, 0, i, heap, tree.boxDistanceSq(i, 0));
        return heap[0];
    }

    /**
     * heap is a max-heap of the k smallest squared distances seen, its root the k-th; boxSq is the
     * squared distance from the point to the node's box, computed once by the caller.
     */
    private static void search(KdTree tree, int node, int i, double[] heap, double boxSq) {
        if (boxSq > heap[0]) {
            return;
        }
        if (tree.isLeaf(node)) {
            for (int j = tree.start[node], e = tree.end[node]; j < e; j++) {
                if (j == i) {
                    continue;
                }
                double d = tree.distanceSq(i, j);
                if (d < heap[0]) {
                    replaceTop(heap, d);
                }
            }
            return;
        }
        int a = tree.left[node];
        int b = tree.right[node];
        double da = tree.boxDistanceSq(i, a);
        double db = tree.boxDistanceSq(i, b);
        if (db < da) {
            search(tree, b, i, heap, db);
            search(tree, a, i, heap, da);
        } else {
            search(tree, a, i, heap, da);
            search(tree, b, i, heap, db);
        }
    }

    private static void replaceTop(double[] heap, double value) {
        int k = heap.length;
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= k) {
                break;
            }
            if (child + 1 < k && heap[child + 1] > heap[child]) {
                child++;
            }
            if (heap[child] <= value) {
                break;
            }
            heap[pos] = heap[child];
            pos = child;
        }
        heap[pos] = value;
    }
}
