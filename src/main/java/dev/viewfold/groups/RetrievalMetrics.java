package dev.viewfold.groups;

import java.util.Arrays;
import java.util.List;

/**
 * Leave-one-out retrieval quality: each item queries all the others by cosine similarity.
 *
 * <ul>
 *   <li>Recall@k: share of queries with at least one relevant item (one that shares a label) among
 *       their k most similar.</li>
 *   <li>MAP@R (Musgrave, Belongie &amp; Lim 2020, "A Metric Learning Reality Check"): with R the
 *       number of items relevant to the query, {@code (1/R) Σ_{i=1..R} P(i)·rel(i)}, P(i) the
 *       precision of the first i results. Unlike Recall@1 it rewards a ranking that puts the whole
 *       group first, and unlike plain MAP it stops at R, so it does not depend on the tail.</li>
 * </ul>
 *
 * Queries with no relevant item are skipped. Equal similarities rank in input order, so the scores
 * are the same on every run.
 */
public final class RetrievalMetrics {

    private RetrievalMetrics() {
    }

    /** See the class comment. Vectors are normalised here; a zero vector has cosine 0 with everything. */
    public static RetrievalScores of(List<Labelled> items) {
        if (items == null) {
            throw new IllegalArgumentException("no items (null)");
        }
        if (items.isEmpty()) {
            return new RetrievalScores(0, 0, 0, 0);
        }
        int d = items.get(0).vector().length;
        float[][] unit = new float[items.size()][];
        LabelBits index = LabelBits.of(items);
        long[][] bits = new long[items.size()][];
        for (int i = 0; i < unit.length; i++) {
            Labelled it = items.get(i);
            if (it.vector().length != d) {
                throw new IllegalArgumentException("item " + it.id() + " has " + it.vector().length
                        + " dimensions where the first item has " + d);
            }
            unit[i] = new float[d];
            Dense.normalise(it.vector(), 0, unit[i], 0, d);
            bits[i] = index.bits(it.labels());
        }
        return of(unit, bits);
    }

    /** Over unit vectors (rows) and label bitsets: the form training evaluates with, allocation aside. */
    static RetrievalScores of(float[][] unit, long[][] bits) {
        int n = unit.length;
        int d = n == 0 ? 0 : unit[0].length;
        float[] sims = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float s = Dense.dot(unit[i], 0, unit[j], 0, d);
                sims[i * n + j] = s;
                sims[j * n + i] = s;
            }
        }
        long[] keys = new long[Math.max(0, n - 1)];
        int queries = 0;
        double r1 = 0;
        double r4 = 0;
        double map = 0;
        for (int q = 0; q < n; q++) {
            int relevant = 0;
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (j != q) {
                    if (LabelBits.shares(bits[q], bits[j])) {
                        relevant++;
                    }
                    keys[m++] = rankKey(sims[q * n + j], j);
                }
            }
            if (relevant == 0) {
                continue;
            }
            queries++;
            Arrays.sort(keys, 0, m);
            int hits = 0;
            double ap = 0;
            boolean in1 = false;
            boolean in4 = false;
            int depth = Math.max(relevant, 4);
            for (int rank = 0; rank < depth && rank < m; rank++) {
                int j = (int) keys[rank];
                if (LabelBits.shares(bits[q], bits[j])) {
                    hits++;
                    if (rank < relevant) {
                        ap += (double) hits / (rank + 1);
                    }
                    in1 |= rank == 0;
                    in4 |= rank < 4;
                }
            }
            r1 += in1 ? 1 : 0;
            r4 += in4 ? 1 : 0;
            map += ap / relevant;
        }
        if (queries == 0) {
            return new RetrievalScores(0, 0, 0, 0);
        }
        return new RetrievalScores(r1 / queries, r4 / queries, map / queries, queries);
    }

    /**
     * A long whose ascending order is descending similarity, then ascending index: the negated
     * similarity's bits turned into an int that sorts like the float (negative floats have their
     * magnitude bits flipped), in the high half; the index in the low half.
     */
    public static long rankKey(float similarity, int index) {
        int bits = Float.floatToIntBits(-similarity + 0f);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ((long) ordered << 32) | index;
    }
}
