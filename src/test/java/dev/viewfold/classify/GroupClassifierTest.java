package dev.viewfold.classify;

import dev.viewfold.groups.Synthetic;
import dev.viewfold.groups.Labelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GroupClassifierTest {

    private static final int DIM = 64;
    private static final long SEED = 9;

    private static float[][] centres(int groups) {
        return Synthetic.centres(DIM, groups, SEED);
    }

    @ParameterizedTest
    @EnumSource(value = ClassifierKind.class, names = {"KNN", "PROTOTYPE"})
    void newItemsOfWellSeparatedGroupsAreClassifiedCorrectly(ClassifierKind kind) {
        List<Labelled> data = Synthetic.separated(DIM, 8, 12, 0.05, SEED);
        float[][] centres = centres(8);
        GroupClassifier classifier = GroupClassifier.fit(data, kind, 5);
        assertEquals(8, classifier.groups().size());
        Random rnd = new Random(1);
        for (int g = 0; g < 8; g++) {
            for (int i = 0; i < 5; i++) {
                float[] query = Synthetic.around(centres[g], 0.05, rnd);
                Classification c = classifier.classify(query, Thresholds.uniform(0.5f));
                assertEquals(String.format("g%02d", g), c.top());
                assertEquals(List.of(String.format("g%02d", g)), c.groups());
                assertFalse(c.none());
                assertEquals(8, c.scores().size());
                for (int r = 1; r < c.scores().size(); r++) {
                    assertTrue(c.scores().get(r - 1).score() >= c.scores().get(r).score(), "best first");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ClassifierKind.class, names = {"KNN", "PROTOTYPE"})
    void aQueryFarFromEveryGroupIsNoneWithCalibratedThresholds(ClassifierKind kind) {
        List<Labelled> data = Synthetic.separated(DIM, 8, 12, 0.05, SEED);
        CalibratedClassifier calibrated = Calibration.calibrate(data, kind, 5, 0.25, 3);
        assertEquals(1.0, calibrated.heldOutAccuracy(), 0);
        assertEquals(8 * 3, calibrated.heldOutItems()); // round(0.25 × 12) from each group
        assertEquals(8, calibrated.thresholds().perGroup().size());
        Random rnd = new Random(2);
        for (int i = 0; i < 20; i++) {
            float[] far = Synthetic.unit(Synthetic.gaussian(DIM, rnd));
            Classification c = calibrated.classify(far);
            assertTrue(c.none(), "far query classified as " + c.groups() + " with " + c.scores().get(0));
            assertTrue(c.groups().isEmpty());
        }
        float[][] centres = centres(8);
        Classification near = calibrated.classify(Synthetic.around(centres[3], 0.05, rnd));
        assertEquals(List.of("g03"), near.groups());
    }

    @ParameterizedTest
    @EnumSource(value = ClassifierKind.class, names = {"KNN", "PROTOTYPE"})
    void aQueryLikeAMultiLabelItemGetsBothGroups(ClassifierKind kind) {
        Random rnd = new Random(4);
        float[] a = Synthetic.unit(Synthetic.gaussian(DIM, rnd));
        float[] b = Synthetic.unit(Synthetic.gaussian(DIM, rnd));
        float[] ab = Synthetic.unit(Synthetic.gaussian(DIM, rnd));
        float[] c = Synthetic.unit(Synthetic.gaussian(DIM, rnd));
        List<Labelled> data = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            data.add(Labelled.of("a" + i, Synthetic.around(a, 0.05, rnd), "A"));
            data.add(Labelled.of("b" + i, Synthetic.around(b, 0.05, rnd), "B"));
            data.add(new Labelled("ab" + i, Synthetic.around(ab, 0.05, rnd), Set.of("A", "B")));
            data.add(Labelled.of("c" + i, Synthetic.around(c, 0.05, rnd), "C"));
        }
        CalibratedClassifier calibrated = Calibration.calibrate(data, kind, 5, 0.25, 5);
        Classification both = calibrated.classify(Synthetic.around(ab, 0.05, rnd));
        assertEquals(Set.of("A", "B"), Set.copyOf(both.groups()));
        Classification onlyA = calibrated.classify(Synthetic.around(a, 0.05, rnd));
        assertEquals(List.of("A"), onlyA.groups());
        Classification onlyC = calibrated.classify(Synthetic.around(c, 0.05, rnd));
        assertEquals(List.of("C"), onlyC.groups());
    }

    @Test
    void knnScoreIsSimilarityWeightedVoteOverK() {
        // Query along x; neighbours: "A" at 0° (cos 1), "B" at 60° (cos 0.5), "C" at 180° (cos −1, not among k = 2).
        List<Labelled> data = List.of(Labelled.of("a", new float[] {1, 0}, "A"),
                Labelled.of("b", new float[] {0.5f, (float) Math.sqrt(0.75)}, "B"),
                Labelled.of("c", new float[] {-1, 0}, "C"));
        GroupClassifier knn = GroupClassifier.fit(data, ClassifierKind.KNN, 2);
        Map<String, Float> scores = knn.scores(new float[] {3, 0});
        assertEquals(List.of("A", "B", "C"), List.copyOf(scores.keySet()));
        assertEquals(0.5f, scores.get("A"), 1e-6);
        assertEquals(0.25f, scores.get("B"), 1e-6);
        assertEquals(0f, scores.get("C"), 0);
        // k larger than the data: every item votes, a negative similarity counts as 0.
        Map<String, Float> all = GroupClassifier.fit(data, ClassifierKind.KNN, 10).scores(new float[] {1, 0});
        assertEquals(1f / 3, all.get("A"), 1e-6);
        assertEquals(0f, all.get("C"), 0);
    }

    @Test
    void prototypeScoreIsCosineToTheNormalisedMean() {
        List<Labelled> data = List.of(Labelled.of("a1", new float[] {1, 0}, "A"), Labelled.of("a2", new float[] {0, 1}, "A"),
                Labelled.of("b", new float[] {-1, 0}, "B"));
        GroupClassifier proto = GroupClassifier.fit(data, ClassifierKind.PROTOTYPE, 0);
        Map<String, Float> scores = proto.scores(new float[] {1, 0});
        assertEquals((float) Math.sqrt(0.5), scores.get("A"), 1e-6);
        assertEquals(-1f, scores.get("B"), 1e-6);
    }

    @Test
    void thresholdsDecideWhichGroupsPass() {
        List<Labelled> data = List.of(Labelled.of("a", new float[] {1, 0}, "A"), Labelled.of("b", new float[] {0, 1}, "B"));
        GroupClassifier proto = GroupClassifier.fit(data, ClassifierKind.PROTOTYPE, 1);
        float[] q = {1, 1}; // cos √½ ≈ 0.707 to both
        assertEquals(List.of("A", "B"), proto.classify(q, Thresholds.uniform(0.7f)).groups());
        Classification one = proto.classify(q, new Thresholds(Map.of("B", 0.8f), 0.7f));
        assertEquals(List.of("A"), one.groups());
        Classification none = proto.classify(q, Thresholds.uniform(0.71f));
        assertTrue(none.none());
        assertEquals("A", none.top()); // equal scores: by name
    }

    @Test
    void badInputsAreRejected() {
        List<Labelled> data = List.of(Labelled.of("a", new float[] {1, 0}, "A"));
        assertEquals("k must be at least 1 for KNN, not 0", assertThrows(IllegalArgumentException.class,
                () -> GroupClassifier.fit(data, ClassifierKind.KNN, 0)).getMessage());
        GroupClassifier knn = GroupClassifier.fit(data, ClassifierKind.KNN, 1);
        assertEquals("this classifier takes vectors of 2 dimensions, not 3",
                assertThrows(IllegalArgumentException.class, () -> knn.scores(new float[3])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupClassifier.fit(List.of(), ClassifierKind.KNN, 1));
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(Map.of("A", Float.NaN), 0.5f));
    }
}
