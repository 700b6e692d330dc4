package dev.viewfold.cluster.umap;

/**
 * The k nearest neighbours of every point, the point itself first (distance 0), then ascending.
 * Flat arrays, O(n·k): neighbour {@code j} of point {@code i} is {@code indices[i * k + j]}.
 * Distances are squared Euclidean in the search space.
 */
record KnnGraph(int n, int k, int[] indices, float[] squaredDistances) {

    /** Turns the max-heaps of {@code k-1} neighbours per point into sorted rows with self in front. */
    static KnnGraph fromHeaps(NeighborHeaps heaps) {
        int n = heaps.n;
        int m = heaps.k;
        int k = m + 1;
        int[] idx = new int[n * k];
        float[] dist = new float[n * k];
        Integer[] order = new Integer[m];
        for (int i = 0; i < n; i++) {
            int base = i * m;
            for (int j = 0; j < m; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> {
                int c = Float.compare(heaps.dist[base + a], heaps.dist[base + b]);
                return c != 0 ? c : Integer.compare(heaps.ids[base + a], heaps.ids[base + b]);
            });
            idx[i * k] = i;
            dist[i * k] = 0f;
            for (int j = 0; j < m; j++) {
                int id = heaps.ids[base + order[j]];
                // A missing neighbour (fewer points than k) repeats the point itself at distance 0.
                idx[i * k + 1 + j] = id < 0 ? i : id;
                dist[i * k + 1 + j] = id < 0 ? 0f : heaps.dist[base + order[j]];
            }
        }
        return new KnnGraph(n, k, idx, dist);
    }
}
