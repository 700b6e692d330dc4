package dev.viewfold.classify;

import dev.viewfold.groups.Dense;
import dev.viewfold.groups.LabelBits;
import dev.viewfold.groups.Labelled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a query against labelled groups by cosine similarity. Immutable: safe from any number of
 * threads.
 *
 * <ul>
 *   <li>{@link ClassifierKind#PROTOTYPE}: per group, the L2-normalised mean of its members; a
 *       group's score is the query's cosine to it.</li>
 *   <li>{@link ClassifierKind#KNN}: the k labelled items most similar to the query vote;
 *       {@code score(g) = (1/k) Σ_{neighbours carrying g} max(0, cos)}. Dividing by k rather than
 *       by the neighbours' total similarity keeps the score absolute: it is the share of the
 *       neighbourhood that carries g times how close that share is. A query far from every group
 *       then scores low for all of them and a threshold can say "none", where a
 *       share-of-similarity score would still give its nearest, distant group 1.0. Scores lie in
 *       [0, 1]; an item with several labels votes for each, so a query between two groups, or like
 *       a multi-label item, scores high for both.</li>
 * </ul>
 */
public final class GroupClassifier {

    private final ClassifierKind kind;
    private final int k;
    private final int dim;
    /** Group names, sorted; a group's id is its index. */
    private final String[] groups;
    /** KNN: the items' unit vectors; PROTOTYPE: the groups' prototypes. Row-major, {@code dim} wide. */
    private final float[] rows;
    /** KNN: each item's group ids. */
    private final int[][] itemGroups;

    private GroupClassifier(ClassifierKind kind, int k, int dim, String[] groups, float[] rows, int[][] itemGroups) {
        this.kind = kind;
        this.k = k;
        this.dim = dim;
        this.groups = groups;
        this.rows = rows;
        this.itemGroups = itemGroups;
    }

    /**
     * Fits on the labelled items (vectors are normalised here). {@code k}, the number of neighbours,
     * must be at least 1 for KNN (fewer items than k: all of them vote); PROTOTYPE ignores it.
     */
    public static GroupClassifier fit(List<Labelled> labelled, ClassifierKind kind, int k) {
        if (labelled == null || labelled.isEmpty()) {
            throw new IllegalArgumentException("no labelled items to fit a classifier on");
        }
        if (kind != ClassifierKind.KNN && kind != ClassifierKind.PROTOTYPE) {
            throw new IllegalArgumentException("kind must be KNN or PROTOTYPE, not " + kind);
        }
        if (kind == ClassifierKind.KNN && k < 1) {
            throw new IllegalArgumentException("k must be at least 1 for KNN, not " + k);
        }
        int dim = labelled.get(0).vector().length;
        LabelBits index = LabelBits.of(labelled);
        String[] groups = index.names.toArray(new String[0]);
        int n = labelled.size();
        float[] unit = new float[n * dim];
        int[][] itemGroups = new int[n][];
        for (int i = 0; i < n; i++) {
            Labelled it = labelled.get(i);
            if (it.vector().length != dim) {
                throw new IllegalArgumentException("mixed dimensions: item " + it.id() + " has "
                        + it.vector().length + " where the first item has " + dim);
            }
            Dense.normalise(it.vector(), 0, unit, i * dim, dim);
            itemGroups[i] = new int[it.labels().size()];
            int j = 0;
            for (String l : it.labels()) {
                itemGroups[i][j++] = index.id(l);
            }
        }
        if (kind == ClassifierKind.KNN) {
            return new GroupClassifier(kind, k, dim, groups, unit, itemGroups);
        }
        double[] sums = new double[groups.length * dim];
        for (int i = 0; i < n; i++) {
            for (int g : itemGroups[i]) {
                for (int c = 0; c < dim; c++) {
                    sums[g * dim + c] += unit[i * dim + c];
                }
            }
        }
        float[] prototypes = new float[groups.length * dim];
        for (int i = 0; i < sums.length; i++) {
            prototypes[i] = (float) sums[i];
        }
        for (int g = 0; g < groups.length; g++) {
            Dense.normalise(prototypes, g * dim, prototypes, g * dim, dim);
        }
        return new GroupClassifier(kind, k, dim, groups, prototypes, null);
    }

    public ClassifierKind kind() {
        return kind;
    }

    /** Neighbours that vote (KNN). */
    public int k() {
        return k;
    }

    public int dim() {
        return dim;
    }

    /** The known groups, sorted. */
    public Set<String> groups() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(groups)));
    }

    /** Every known group's score for the query, in group order. */
    public Map<String, Float> scores(float[] query) {
        float[] s = scoreArray(query);
        Map<String, Float> out = new LinkedHashMap<>();
        for (int g = 0; g < groups.length; g++) {
            out.put(groups[g], s[g]);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Scores, best first, and the groups whose score reaches their threshold. */
    public Classification classify(float[] query, Thresholds thresholds) {
        if (thresholds == null) {
            throw new IllegalArgumentException("no thresholds (null)");
        }
        float[] s = scoreArray(query);
        Integer[] order = new Integer[groups.length];
        for (int g = 0; g < order.length; g++) {
            order[g] = g;
        }
        // Groups are sorted by name already, so a stable sort by score breaks ties by name.
        java.util.Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
        List<GroupScore> scores = new ArrayList<>(groups.length);
        List<String> passed = new ArrayList<>();
        for (int g : order) {
            scores.add(new GroupScore(groups[g], s[g]));
            if (s[g] >= thresholds.of(groups[g])) {
                passed.add(groups[g]);
            }
        }
        return new Classification(scores, passed, passed.isEmpty());
    }

    /** Scores indexed by group id (the sorted order of {@link #groups()}). */
    float[] scoreArray(float[] query) {
        if (query == null || query.length != dim) {
            throw new IllegalArgumentException("this classifier takes vectors of " + dim + " dimensions, not "
                    + (query == null ? "null" : String.valueOf(query.length)));
        }
        float[] q = new float[dim];
        Dense.normalise(query, 0, q, 0, dim);
        float[] s = new float[groups.length];
        if (kind == ClassifierKind.PROTOTYPE) {
            for (int g = 0; g < groups.length; g++) {
                s[g] = Dense.dot(q, 0, rows, g * dim, dim);
            }
            return s;
        }
        int n = itemGroups.length;
        int kk = Math.min(k, n);
        int[] best = new int[kk];
        float[] bestSim = new float[kk];
        int found = 0;
        for (int i = 0; i < n; i++) {
            float sim = Dense.dot(q, 0, rows, i * dim, dim);
            if (found == kk && sim <= bestSim[kk - 1]) {
                continue;
            }
            // Insertion into the sorted top-k; an equal similarity stays behind the earlier item.
            int at = found < kk ? found++ : kk - 1;
            while (at > 0 && bestSim[at - 1] < sim) {
                best[at] = best[at - 1];
                bestSim[at] = bestSim[at - 1];
                at--;
            }
            best[at] = i;
            bestSim[at] = sim;
        }
        for (int r = 0; r < found; r++) {
            float w = Math.max(0f, bestSim[r]);
            for (int g : itemGroups[best[r]]) {
                s[g] += w;
            }
        }
        for (int g = 0; g < s.length; g++) {
            s[g] /= kk;
        }
        return s;
    }

    /** The sorted group names as an array (shared: do not change). */
    String[] groupNames() {
        return groups;
    }
}
