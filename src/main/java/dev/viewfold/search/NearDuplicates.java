package dev.viewfold.search;

import dev.viewfold.math.UnionFind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Rows closer to each other than a cosine threshold: groups over the whole collection, or the rows
 * that one new image would duplicate ("is this already here?").
 */
public final class NearDuplicates {

    /**
     * Rows joined by near-duplicate links (a connected component, so a chain of near-identical
     * edits ends in one group).
     *
     * @param ids          members, in index order
     * @param closestScore the highest similarity inside the group
     * @param weakestLink  the lowest similarity among the links that joined it
     */
    public record Group(List<String> ids, float closestScore, float weakestLink) {
    }

    private NearDuplicates() {
    }

    /** Rows at least {@code threshold} similar to a vector, best first, at most {@code max}. */
    public static List<Neighbour> of(SearchBackend backend, Target target, float[] vector, float threshold, int max) {
        SearchFilter filter = new SearchFilter(null, null, null, threshold);
        return backend.search(target, vector, max, Metric.COSINE, filter, SearchBackend.Mode.AUTO).neighbours();
    }

    /**
     * Every group of two or more rows linked by similarity ≥ {@code threshold}, largest first.
     * Each row looks among its {@code neighbours} nearest (exact or through the graph, as the index
     * answers), so the cost is one search per row, never all pairs.
     *
     * @param progress told of each row done, for long runs
     */
    public static List<Group> groups(SearchBackend backend, Target target, float threshold, int neighbours,
                                     IntConsumer progress) {
        List<IndexEntry> entries = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        backend.forEach(target, (e, v) -> {
            entries.add(e);
            vectors.add(v);
        });
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            position.put(entries.get(i).id(), i);
        }
        UnionFind sets = new UnionFind(entries.size());
        float[] closest = new float[entries.size()];
        float[] weakest = new float[entries.size()];
        java.util.Arrays.fill(closest, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(weakest, Float.POSITIVE_INFINITY);
        for (int i = 0; i < entries.size(); i++) {
            for (Neighbour n : of(backend, target, vectors.get(i), threshold, neighbours + 1)) {
                Integer j = position.get(n.entry().id());
                if (j == null || j == i) {
                    continue;
                }
                int a = sets.find(i);
                int b = sets.find(j);
                float c = Math.max(n.score(), Math.max(closest[a], closest[b]));
                float w = Math.min(n.score(), Math.min(weakest[a], weakest[b]));
                sets.union(a, b);
                int r = sets.find(a);
                closest[r] = c;
                weakest[r] = w;
            }
            progress.accept(i + 1);
        }
        Map<Integer, List<String>> members = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            members.computeIfAbsent(sets.find(i), r -> new ArrayList<>()).add(entries.get(i).id());
        }
        List<Group> groups = new ArrayList<>();
        members.forEach((r, ids) -> {
            if (ids.size() > 1) {
                groups.add(new Group(ids, closest[r], weakest[r]));
            }
        });
        groups.sort(Comparator.comparingInt((Group g) -> -g.ids().size()).thenComparing(g -> g.ids().get(0)));
        return groups;
    }
}
