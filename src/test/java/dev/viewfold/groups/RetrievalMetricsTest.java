package dev.viewfold.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    private static Labelled at(String id, double degrees, String... labels) {
        double r = Math.toRadians(degrees);
        return new Labelled(id, new float[] {(float) Math.cos(r), (float) Math.sin(r)}, Set.of(labels));
    }

    /**
     * Unit vectors on a circle, so that similarity falls with the angle between them; m carries two
     * labels, c1 is alone in its group. Rankings (+ relevant, − not), worked by hand:
     *
     * <pre>
     * a1: a2+ b1- m+ c1- a3+ d2- b2- d1-  R=3 AP=(1/1 + 2/3)/3 = 5/9     r1 r4
     * a2: b1- a1+ m+ c1- a3+ b2- d2- d1-  R=3 AP=(1/2 + 2/3)/3 = 7/18       r4
     * b1: m+ a2- c1- a1- a3- b2+ d1- d2-  R=2 AP=(1/1)/2 = 1/2           r1 r4
     * m:  b1+ c1- a2+ a1+ a3+ b2+ d1- d2-  R=5 AP=(1 + 2/3 + 3/4 + 4/5)/5 = 193/300  r1 r4
     * c1: no item shares its label: skipped
     * a3: b2- c1- m+ b1- d1- a2+ a1+ d2-  R=3 AP=(1/3)/3 = 1/9              r4
     * b2: a3- d1- c1- m+ b1+ ...          R=2 AP=0                          r4
     * d1: b2- a3- c1- m- b1- a2- d2+ a1-  R=1 AP=0
     * d2: a1- a2- b1- d1+ ...             R=1 AP=0                          r4
     * </pre>
     *
     * 8 queries: Recall@1 = 3/8, Recall@4 = 7/8, MAP@R = (5/9 + 7/18 + 1/2 + 193/300 + 1/9)/8 = 1979/7200.
     */
    @Test
    void handComputedExample() {
        List<Labelled> items = List.of(at("a1", 0, "A"), at("a2", 16, "A"), at("b1", 27, "B"), at("m", 37, "A", "B"),
                at("c1", 52, "C"), at("a3", 81, "A"), at("b2", 103, "B"), at("d1", 141, "D"), at("d2", 267, "D"));
        RetrievalScores s = RetrievalMetrics.of(items);
        assertEquals(8, s.queries());
        assertEquals(3.0 / 8, s.recallAt1(), 1e-12);
        assertEquals(7.0 / 8, s.recallAt4(), 1e-12);
        assertEquals(1979.0 / 7200, s.mapAtR(), 1e-9);
    }

    @Test
    void aRelevantItemJustPastRankRCountsForRecallButNotForMapAtR() {
        // a1: b- a2+ (R = 1: AP = 0); a2: b- a1+ (AP = 0); b has no relevant item: skipped.
        List<Labelled> items = List.of(at("a1", 0, "A"), at("b", 10, "B"), at("a2", 30, "A"));
        RetrievalScores s = RetrievalMetrics.of(items);
        assertEquals(new RetrievalScores(0, 1, 0, 2), s);
    }

    @Test
    void perfectRankingScoresOneAndScaleDoesNotMatter() {
        List<Labelled> items = List.of(at("a1", 0, "A"), at("a2", 5, "A"), at("a3", 10, "A"), at("b1", 90, "B"),
                new Labelled("b2", new float[] {0, 7}, Set.of("B")));
        RetrievalScores s = RetrievalMetrics.of(items);
        assertEquals(5, s.queries());
        assertEquals(1.0, s.recallAt1(), 1e-12);
        assertEquals(1.0, s.mapAtR(), 1e-12);
    }

    @Test
    void rankKeyOrdersBySimilarityDescendingThenIndex() {
        float[] sims = {0.5f, -0.25f, 1f, 0f, -0f, 0.5f, -1f};
        long[] keys = new long[sims.length];
        for (int i = 0; i < sims.length; i++) {
            keys[i] = RetrievalMetrics.rankKey(sims[i], i);
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 0, 5, 3, 4, 1, 6}, order);
    }

    @Test
    void mixedDimensionsAreRejected() {
        List<Labelled> items = List.of(Labelled.of("x", new float[] {1, 0}, "A"),
                Labelled.of("y", new float[] {1, 0, 0}, "A"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetrievalMetrics.of(items));
        assertEquals("item y has 3 dimensions where the first item has 2", e.getMessage());
    }
}
