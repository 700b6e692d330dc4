package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

import java.util.Arrays;

/**
 * Trustworthiness of an embedding, as sklearn.manifold.trustworthiness: 1 − penalty for points that
 * are among a point's k nearest in the embedding but not in the input, weighted by how far down
 * the input ranking they are. Computed one row at a time: O(n) memory, never an n×n matrix.
 */
public final class Trustworthiness {

    private static final int ROWS_PER_CHUNK = 64;

    private Trustworthiness() {
    }

    /** Over all points: O(n²·d) time. */
    public static double of(float[][] input, float[][] embedding, int k, Metric metric, int threads) {
        int[] all = new int[input.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return over(input, embedding, k, metric, threads, all);
    }

    /**
     * Estimated from {@code sample} points drawn without replacement (seeded): the same formula with
     * the sum scaled from the sample to all points. O(sample·n·d) time.
     */
    public static double sampled(float[][] input, float[][] embedding, int k, Metric metric, int threads,
            int sample, long seed) {
        int n = input.length;
        if (sample >= n) {
            return of(input, embedding, k, metric, threads);
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Rng rng = Rng.of(seed, 0x7757L);
        for (int i = 0; i < sample; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return over(input, embedding, k, metric, threads, Arrays.copyOf(perm, sample));
    }

    private static double over(float[][] input, float[][] embedding, int k, Metric metric, int threads,
            int[] rows) {
        int n = input.length;
        if (k >= n / 2.0) {
            throw new IllegalArgumentException("trustworthiness needs k < n/2, got k=" + k + ", n=" + n);
        }
        float[][] x = metric == Metric.COSINE ? Umap.normalised(input) : input;
        int count = Chunks.count(rows.length, ROWS_PER_CHUNK);
        double[] partial = new double[count];
        try (Chunks chunks = new Chunks(threads)) {
            chunks.run(count, c -> {
                float[] dIn = new float[n];
                float[] dOut = new float[n];
                int[] nearest = new int[k];
                double s = 0;
                for (int r = c * ROWS_PER_CHUNK, end = Math.min(rows.length, r + ROWS_PER_CHUNK); r < end; r++) {
                    int i = rows[r];
                    for (int j = 0; j < n; j++) {
                        dIn[j] = SquaredEuclidean.of(x[i], x[j]);
                        dOut[j] = SquaredEuclidean.of(embedding[i], embedding[j]);
                    }
                    kNearest(dOut, i, nearest);
                    for (int j : nearest) {
                        // Rank (1-based, self excluded) of j among i's input neighbours; ties go
                        // to the lower index as a stable argsort would order them.
                        int rank = 0;
                        float dj = dIn[j];
                        for (int l = 0; l < n; l++) {
                            if (l != i && (dIn[l] < dj || (dIn[l] == dj && l < j))) {
                                rank++;
                            }
                        }
                        rank++;
                        if (rank > k) {
                            s += rank - k;
                        }
                    }
                }
                partial[c] = s;
            });
        }
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        sum *= (double) n / rows.length;
        return 1.0 - sum * (2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)));
    }

    /** The k smallest of {@code d} other than {@code self}, ties to the lower index. */
    private static void kNearest(float[] d, int self, int[] out) {
        int k = out.length;
        int size = 0;
        for (int j = 0; j < d.length; j++) {
            if (j == self) {
                continue;
            }
            float v = d[j];
            if (size == k && !(v < d[out[k - 1]])) {
                continue;
            }
            int pos = size == k ? k - 1 : size++;
            while (pos > 0 && d[out[pos - 1]] > v) {
                out[pos] = out[pos - 1];
                pos--;
            }
            out[pos] = j;
        }
    }
}
