package dev.viewfold.cluster.umap;

/** Brute-force k nearest neighbours: O(n²·d) time, O(n·k) memory; for small inputs. */
final class ExactKnn {

    private static final int ROWS_PER_CHUNK = 256;

    private ExactKnn() {
    }

    static KnnGraph of(float[][] points, int k, Chunks chunks) {
        int n = points.length;
        NeighborHeaps heaps = new NeighborHeaps(n, k - 1);
        chunks.run(Chunks.count(n, ROWS_PER_CHUNK), c -> {
            for (int i = c * ROWS_PER_CHUNK, end = Math.min(n, i + ROWS_PER_CHUNK); i < end; i++) {
                float[] p = points[i];
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        float d = SquaredEuclidean.of(p, points[j]);
                        if (d < heaps.worst(i)) {
                            heaps.push(i, j, d);
                        }
                    }
                }
            }
        });
        return KnnGraph.fromHeaps(heaps);
    }
}
