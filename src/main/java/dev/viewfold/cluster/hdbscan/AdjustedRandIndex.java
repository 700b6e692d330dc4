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

    private static double pairs(long count) {
        return count * (count - 1) / 2.0;
    }
}
