package dev.viewfold.cluster.hdbscan;

import java.util.HashMap;
import java.util.Map;

/**
 * Adjusted Rand index (Hubert and Arabie 1985) between two labelings of the same points: 1 for
 * identical partitions, about 0 for chance agreement. Labels are arbitrary ints; noise (-1) counts
 * as one more group, as when R compares {@code hdbscan} results with cluster 0 as noise.
 */
public final class AdjustedRandIndex {

    private AdjustedRandIndex() {
    }

    public static double of(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("labelings differ in length: " + a.length + " vs " + b.length);
        }
        int n = a.length;
        Map<Long, Integer> cells = new HashMap<>();
        Map<Integer, Integer> rows = new HashMap<>();
        Map<Integer, Integer> cols = new HashMap<>();
        for (int i = 0; i < n; i++) {
            cells.merge(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1, Integer::sum);
            rows.merge(a[i], 1, Integer::sum);
            cols.merge(b[i], 1, Integer::sum);
        }
        double index = 0;
        for (int c : cells.values()) {
            index += pairs(c);
        }
        double sumRows = 0;
        for (int c : rows.values()) {
            sumRows += pairs(c);
        }
        double sumCols = 0;
        for (int c : cols.values()) {
            sumCols += pairs(c);
        }
        double total = pairs(n);
        double expected = total == 0 ? 0 : sumRows * sumCols / total;
        double max = (sumRows + sumCols) / 2;
        if (max == expected) {
            // Both labelings are trivial (one group each, or all singletons): agreement is perfect.
            return 1.0;
        }
        return (index - expected) / (max - expected);
    }

    /**
     * The same with every noise point (label &lt; 0) a group of its own: noise is "in no group", not
     * one group. Counted as one group, the noise of a run with a few hundred clusters is by far its
     * largest "cluster", so its pairs dominate the index and two runs that cluster the same rows alike
     * but call a different few percent noise score low.
     */
    public static double noiseApart(int[] a, int[] b) {
        return of(apart(a), apart(b));
    }

    private static int[] apart(int[] labels) {
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) {
                out[i] = -2 - i; // distinct from every cluster (≥ 0) and from each other
            }
        }
        return out;
    }

    private static double pairs(long count) {
        return count * (count - 1) / 2.0;
    }
}
