package dev.viewfold.search.memory;

import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.Metric;
import dev.viewfold.search.Neighbour;
import dev.viewfold.search.SearchBackend.Mode;
import dev.viewfold.search.SearchFilter;

import dev.viewfold.math.DotKernels;
import dev.viewfold.math.ScalarDot;
import dev.viewfold.testing.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index against a brute-force oracle in double precision, on real images (Fashion-MNIST pixels). */
class SearchIndexTest {

    static final int N = 9_800;
    static final int QUERIES = 200;
    static float[][] data;

    @BeforeAll
    static void load() {
        data = FashionMnist.unitVectors(N + QUERIES);
    }

    static IndexEntry entry(int i) {
        return new IndexEntry("img" + i, "obs" + (i / 10), "c" + (i % 7), Set.of(i % 2 == 0 ? "even" : "odd"), Instant.EPOCH);
    }

    static SearchIndex index(SearchIndex.Settings settings) {
        SearchIndex index = new SearchIndex("space", 784, settings);
        for (int i = 0; i < N; i++) {
            index.upsert(entry(i), data[i]);
        }
        return index;
    }

    static List<Neighbour> find(SearchIndex index, float[] query, int k, Metric metric, SearchFilter filter, Mode mode) {
        return index.search(query, k, metric, filter, mode).neighbours();
    }

    /** Brute force in double: (id, score) best first, ties by id. */
    static List<Object[]> oracle(float[] q, int k, java.util.function.IntPredicate accept) {
        return IntStream.range(0, N).filter(accept).mapToObj(i -> {
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                s += (double) q[j] * data[i][j];
            }
            return new Object[] {"img" + i, s};
        }).sorted(Comparator.comparingDouble((Object[] a) -> -(double) a[1])).limit(k).toList();
    }

    @Test
    void exactPathEqualsBruteForce() {
        SearchIndex index = index(SearchIndex.Settings.DEFAULT);
        for (int q = 0; q < QUERIES; q++) {
            float[] query = data[N + q];
            List<Neighbour> hits = find(index, query, 10, Metric.COSINE, SearchFilter.NONE, Mode.EXACT);
            List<Object[]> expected = oracle(query, 10, i -> true);
            assertEquals(10, hits.size());
            for (int r = 0; r < 10; r++) {
                assertEquals(expected.get(r)[0], hits.get(r).entry().id(), "query " + q + " rank " + r);
                assertEquals((double) expected.get(r)[1], hits.get(r).score(), 1e-5);
                assertEquals(1 - (double) expected.get(r)[1], hits.get(r).distance(), 1e-5);
            }
        }
    }

    @Test
    void exactPathHonoursFilters() {
        SearchIndex index = index(SearchIndex.Settings.DEFAULT);
        float[] query = data[N];
        SearchFilter filter = new SearchFilter(Set.of("c3", "c5"), Set.of("odd"), "obs12", 0.5f);
        List<Neighbour> hits = find(index, query, 25, Metric.COSINE, filter, Mode.EXACT);
        List<Object[]> expected = oracle(query, 25, i -> (i % 7 == 3 || i % 7 == 5) && i % 2 == 1 && i / 10 != 12)
                .stream().filter(e -> (double) e[1] >= 0.5).toList();
        assertEquals(expected.stream().map(e -> e[0]).toList(), hits.stream().map(h -> h.entry().id()).toList());
        assertFalse(hits.isEmpty());
    }

    @Test
    void aQueryScoresTheSameHoweverLongOrShortItIs() {
        SearchIndex index = index(SearchIndex.Settings.DEFAULT);
        Neighbour unit = find(index, data[N], 1, Metric.COSINE, SearchFilter.NONE, Mode.EXACT).get(0);
        for (float scale : new float[] {1e20f, 1e-30f}) {
            float[] query = data[N].clone();
            for (int j = 0; j < query.length; j++) {
                query[j] *= scale;
            }
            Neighbour best = find(index, query, 1, Metric.COSINE, SearchFilter.NONE, Mode.EXACT).get(0);
            assertEquals(unit.entry().id(), best.entry().id(), "scale " + scale);
            assertEquals(unit.score(), best.score(), 1e-4, "scale " + scale + " (a float sum of squares overflows)");
        }
    }

    @Test
    void euclideanDistanceKeepsTheQueryLength() {
        SearchIndex index = index(SearchIndex.Settings.DEFAULT);
        float[] query = data[N].clone();
        for (int j = 0; j < query.length; j++) {
            query[j] *= 3;
        }
        Neighbour best = find(index, query, 1, Metric.EUCLIDEAN, SearchFilter.NONE, Mode.EXACT).get(0);
        int i = Integer.parseInt(best.entry().id().substring(3));
        double d2 = 0;
        for (int j = 0; j < query.length; j++) {
            d2 += (query[j] - data[i][j]) * (double) (query[j] - data[i][j]);
        }
        assertEquals(Math.sqrt(d2), best.distance(), 1e-4);
    }

    @Test
    void graphReachesRecallAtTenOfPointNineFive() {
        SearchIndex index = index(new SearchIndex.Settings(0, 16, 100, 48, 42));
        index.buildGraphNow();
        assertTrue(index.approximate());
        double recall = recall(index, SearchFilter.NONE);
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }

    @Test
    void graphFollowsWritesAndRemovals() {
        SearchIndex index = index(new SearchIndex.Settings(0, 16, 100, 48, 42));
        index.buildGraphNow();
        float[] query = data[N + 1];
        String best = find(index, query, 1, Metric.COSINE, SearchFilter.NONE, Mode.AUTO).get(0).entry().id();
        assertTrue(index.remove(best));
        assertFalse(find(index, query, 10, Metric.COSINE, SearchFilter.NONE, Mode.AUTO).stream()
                .anyMatch(h -> h.entry().id().equals(best)));
        // A row rewritten with the query's own vector is found first, through the graph.
        index.upsert(entry(5), query);
        Neighbour top = find(index, query, 1, Metric.COSINE, SearchFilter.NONE, Mode.AUTO).get(0);
        assertEquals("img5", top.entry().id());
        assertEquals(1.0, top.score(), 1e-5);
        assertEquals(N - 1, index.size());
    }

    @Test
    void rowsThatChangeKeepTheirSlotsAndTheGraphStillFindsThem() {
        SearchIndex index = index(new SearchIndex.Settings(0, 16, 100, 48, 42));
        index.buildGraphNow();
        int slots = index.slots();
        // Refold-like churn: the first 1,000 rows change vector 20 times each (to other real vectors).
        for (int round = 1; round <= 20; round++) {
            for (int i = 0; i < 1000; i++) {
                index.upsert(entry(i), data[(i + round * 997) % N]);
            }
        }
        assertEquals(slots, index.slots(), "a changed vector takes its row's own slot, not a new one");
        assertEquals(N, index.size());
        // The rows now hold those vectors: a changed row is found by its new vector, through the graph.
        float[] moved = data[(7 + 20 * 997) % N];
        List<Neighbour> top = find(index, moved, 2, Metric.COSINE, SearchFilter.NONE, Mode.APPROXIMATE);
        assertTrue(top.stream().anyMatch(h -> h.entry().id().equals("img7")), "img7 holds its new vector: " + top);
        double recall = recall(index, SearchFilter.NONE);
        assertTrue(recall >= 0.93, "recall@10 after 20,000 in-place changes " + recall);
    }

    @Test
    void theSlotOfARemovedRowGoesToTheNextNewRow() {
        SearchIndex index = index(new SearchIndex.Settings(0, 16, 100, 48, 42));
        index.buildGraphNow();
        int slots = index.slots();
        for (int i = 0; i < 300; i++) {
            assertTrue(index.remove("img" + i));
        }
        assertEquals(slots, index.slots());
        for (int i = 0; i < 300; i++) {
            index.upsert(new IndexEntry("new" + i, "obs-new", null, Set.of(), Instant.EPOCH), data[i]);
        }
        assertEquals(slots, index.slots(), "new rows took the freed slots");
        assertEquals(N, index.size());
        Neighbour top = find(index, data[42], 1, Metric.COSINE, SearchFilter.NONE, Mode.APPROXIMATE).get(0);
        assertEquals("new42", top.entry().id());
        assertTrue(find(index, data[42], 10, Metric.COSINE, SearchFilter.NONE, Mode.AUTO).stream()
                .noneMatch(h -> h.entry().id().equals("img42")), "a removed row is never returned");
    }

    @Test
    void theAnswerSaysWhichPathAnsweredIt() {
        SearchIndex index = index(new SearchIndex.Settings(0, 16, 100, 48, 42));
        index.buildGraphNow();
        float[] query = data[N];
        assertTrue(index.search(query, 10, Metric.COSINE, SearchFilter.NONE, Mode.AUTO).approximate());
        assertFalse(index.search(query, 10, Metric.COSINE, SearchFilter.NONE, Mode.EXACT).approximate());
        SearchFilter half = new SearchFilter(Set.of(), Set.of("odd"), null, null);
        assertTrue(index.search(query, 10, Metric.COSINE, half, Mode.AUTO).approximate(),
                "half the rows pass: the graph answers");
        // One cluster's odd rows are a fourteenth of the index, under a tenth: scanned, exactly, and said so.
        SearchFilter narrow = new SearchFilter(Set.of("c3"), Set.of("odd"), null, null);
        assertFalse(index.search(query, 10, Metric.COSINE, narrow, Mode.AUTO).approximate(),
                "a narrow filter's answer is exact");
    }

    @Test
    void sameRowsSameGraph() {
        SearchIndex.Settings settings = new SearchIndex.Settings(0, 8, 40, 32, 7);
        SearchIndex a = index(settings);
        SearchIndex b = index(settings);
        a.buildGraphNow();
        b.buildGraphNow();
        for (int q = 0; q < 20; q++) {
            assertEquals(ids(find(a, data[N + q], 10, Metric.COSINE, SearchFilter.NONE, Mode.AUTO)),
                    ids(find(b, data[N + q], 10, Metric.COSINE, SearchFilter.NONE, Mode.AUTO)));
        }
    }

    @Test
    void simdAndScalarKernelsAgree() {
        ScalarDot scalar = new ScalarDot();
        for (int i = 0; i < 50; i++) {
            for (int len : new int[] {1, 7, 16, 31, 784}) {
                float s = scalar.dot(data[i], 0, data[i + 1], 0, len);
                float v = DotKernels.best().dot(data[i], 0, data[i + 1], 0, len);
                assertEquals(s, v, 1e-5, DotKernels.best().name() + " length " + len);
            }
        }
    }

    static double recall(SearchIndex index, SearchFilter filter) {
        int found = 0;
        for (int q = 0; q < QUERIES; q++) {
            float[] query = data[N + q];
            Set<String> truth = new java.util.HashSet<>(ids(find(index, query, 10, Metric.COSINE, filter, Mode.EXACT)));
            for (String id : ids(find(index, query, 10, Metric.COSINE, filter, Mode.APPROXIMATE))) {
                if (truth.contains(id)) {
                    found++;
                }
            }
        }
        return found / (10.0 * QUERIES);
    }

    static List<String> ids(List<Neighbour> hits) {
        List<String> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.entry().id()));
        return out;
    }
}
