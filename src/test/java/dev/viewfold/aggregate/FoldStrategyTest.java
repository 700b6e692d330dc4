package dev.viewfold.aggregate;

import dev.viewfold.math.Vectors;
import dev.viewfold.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldStrategyTest {

    static final List<FoldStrategy> ALL = List.of(new MeanStrategy(), new MaxStrategy(),
            new RobustStrategy(3, 0.1), new KMeansStrategy(), new GeneralizedMaxPoolingStrategy());

    final SyntheticViews gen = new SyntheticViews(7, 64);

    @Test
    void oneViewIsItsOwnFold() {
        float[] v = gen.direction();
        for (FoldStrategy s : ALL) {
            Fold f = s.fold(List.of(new View("i", "0", v)));
            assertArrayEquals(v, f.vector(), 1e-6f, s.name());
            assertEquals(1f, f.agreement()[0], 1e-6f, s.name());
            assertFalse(f.outlier()[0], s.name());
        }
    }

    @Test
    void identicalViewsFoldToThemselvesAndNoneIsFlagged() {
        float[] v = gen.direction();
        List<View> same = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            same.add(new View("i" + i, Integer.toString(i), v.clone()));
        }
        for (FoldStrategy s : ALL) {
            Fold f = s.fold(same);
            assertEquals(1.0, Vectors.dot(f.vector(), v), 1e-5, s.name());
            for (boolean o : f.outlier()) {
                assertFalse(o, s.name());
            }
            assertEquals(0.0, f.dispersion(), 1e-5, s.name());
        }
    }

    @Test
    void robustFindsTheViewsOfAnotherObjectAndFoldsCloserToTheTruth() {
        float[] object = gen.direction();
        List<View> views = new ArrayList<>(gen.views("good", object, 12, 0.03));
        float[] other = gen.direction();
        views.addAll(gen.views("bad", other, 3, 0.03));
        Fold robust = new RobustStrategy(3, 0.1).fold(views);
        Fold mean = new MeanStrategy().fold(views);
        for (int i = 0; i < views.size(); i++) {
            assertEquals(views.get(i).viewId().startsWith("bad"), robust.outlier()[i],
                    views.get(i).viewId() + ": " + robust.explanation());
        }
        assertTrue(Vectors.dot(robust.vector(), object) > Vectors.dot(mean.vector(), object));
        assertTrue(robust.agreement()[13] < robust.agreement()[0]);
    }

    @Test
    void robustNeverLeavesOutTheMajority() {
        float[] a = gen.direction();
        float[] b = gen.direction();
        List<View> views = new ArrayList<>(gen.views("a", a, 3, 0.05));
        views.addAll(gen.views("b", b, 3, 0.05));
        Fold f = new RobustStrategy(1, 0.01).fold(views);
        int flagged = 0;
        for (boolean o : f.outlier()) {
            flagged += o ? 1 : 0;
        }
        assertTrue(flagged <= 2, "at most (n-1)/2 of 6 views: " + flagged);
        List<View> two = gen.views("t", a, 2, 0.3);
        assertFalse(new RobustStrategy(0, 0).fold(two).outlier()[0], "two views: nothing to outvote");
    }

    @Test
    void hundredsOfViewsAreFine() {
        float[] object = gen.direction();
        List<View> views = new ArrayList<>(gen.views("good", object, 300, 0.03));
        views.addAll(gen.views("bad", gen.direction(), 20, 0.03));
        Fold f = new RobustStrategy(3, 0.1).fold(views);
        int caught = 0;
        int wrong = 0;
        for (int i = 0; i < views.size(); i++) {
            boolean bad = views.get(i).viewId().startsWith("bad");
            caught += bad && f.outlier()[i] ? 1 : 0;
            wrong += !bad && f.outlier()[i] ? 1 : 0;
        }
        assertEquals(20, caught);
        assertTrue(wrong <= 3, "good views flagged: " + wrong);
        assertTrue(f.explanation().startsWith("robust: consensus = geometric median of 320 views"), f.explanation());
    }

    /** Eleven other observations of eight views each, folded as robust folds them on its own: the rest of the space. */
    static ScannedObservations space(SyntheticViews g, List<float[]> objects) {
        ScannedObservations space = new ScannedObservations();
        for (int k = 1; k < objects.size(); k++) {
            List<View> views = g.views("o" + k + "-", objects.get(k), 8, 0.05);
            space.add("obj" + k, views, new RobustStrategy(RobustStrategy.Settings.DEFAULT).fold(views));
        }
        return space;
    }

    static List<float[]> objects(SyntheticViews g, int n) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.direction());
        }
        return out;
    }

    @Test
    void aViewOfAnotherObservationIsLeftOutAndReportedWithThatObservation() {
        SyntheticViews g = new SyntheticViews(21, 64);
        List<float[]> objects = objects(g, 12);
        ScannedObservations space = space(g, objects);
        List<View> views = new ArrayList<>(g.views("own", objects.get(0), 7, 0.05));
        float[] moved = g.around(objects.get(5), 0.05); // a new photo of obj5, filed under obj0
        views.add(new View("moved", "moved", moved));
        Fold f = new RobustStrategy(RobustStrategy.Settings.DEFAULT).fold(views, space.evidenceFor("obj0"));
        for (int i = 0; i < 7; i++) {
            assertFalse(f.outlier()[i], f.explanation());
            assertEquals(null, f.home(i));
        }
        assertTrue(f.outlier()[7], f.explanation());
        assertEquals("obj5", f.home(7).observationId());
        assertEquals(space.nearestFold("", "obj0", moved).orElseThrow().similarity(), f.home(7).similarity(), 1e-9);
        assertTrue(f.explanation().contains("'moved' (") && f.explanation().contains("looks like obj5"), f.explanation());
        assertArrayEquals(new MeanStrategy().fold(views.subList(0, 7)).vector(), f.vector(), 1e-6f,
                "the fold is the mean of the views kept");
    }

    @Test
    void aStrayLikeNothingInTheSpaceIsLeftOutWithoutAHome() {
        SyntheticViews g = new SyntheticViews(22, 64);
        List<float[]> objects = objects(g, 12);
        ScannedObservations space = space(g, objects);
        List<View> views = new ArrayList<>(g.views("own", objects.get(0), 7, 0.05));
        float[] blank = new float[64];
        blank[3] = 1; // a photo of nothing this space holds
        views.add(new View("blank", "blank", blank));
        Fold f = new RobustStrategy(RobustStrategy.Settings.DEFAULT).fold(views, space.evidenceFor("obj0"));
        assertTrue(f.outlier()[7], f.explanation());
        assertEquals(null, f.home(7));
        assertTrue(f.explanation().contains("'blank' (") && f.explanation().contains("like nothing here"),
                f.explanation());
        for (int i = 0; i < 7; i++) {
            assertFalse(f.outlier()[i], f.explanation());
        }
    }

    @Test
    void aCleanObservationAmongOthersFoldsExactlyAsTheMean() {
        SyntheticViews g = new SyntheticViews(23, 64);
        List<float[]> objects = objects(g, 12);
        ScannedObservations space = space(g, objects);
        for (int trial = 0; trial < 20; trial++) {
            List<View> views = g.views("own", objects.get(0), 8, 0.05);
            Fold f = new RobustStrategy(RobustStrategy.Settings.DEFAULT).fold(views, space.evidenceFor("obj0"));
            for (boolean o : f.outlier()) {
                assertFalse(o, f.explanation());
            }
            assertArrayEquals(new MeanStrategy().fold(views).vector(), f.vector(), 1e-6f);
            assertEquals(new MeanStrategy().fold(views).dispersion(), f.dispersion(), 1e-6,
                    "the dispersion is the kept views' median distance to the fold, as mean's");
        }
    }

    @Test
    void theSpaceSpreadIsTheMedianAndMadOfTheKeptViewsDistances() {
        SpaceSpread.Tally tally = new SpaceSpread.Tally();
        for (int k = 0; k < SpaceSpread.MIN_OBSERVATIONS - 1; k++) {
            tally.addFold(new float[] {0.9f, 0.8f, 0.7f});
        }
        assertTrue(tally.spread().isEmpty(), "too few folds to tell");
        tally.addFold(new float[] {0.9f, 0.8f, 0.7f});
        tally.addFold(new float[] {0.5f}); // one view: no distance worth counting
        SpaceSpread s = tally.spread().orElseThrow();
        assertEquals(0.2, s.median(), 2e-4);
        assertEquals(1.4826 * 0.1, s.scale(), 3e-4);
        assertEquals(30, s.views());
        assertEquals(10, s.observations());
    }

    @Test
    void kmeansKeepsTheLargerGroup() {
        List<View> views = new ArrayList<>(gen.views("big", gen.direction(), 5, 0.05));
        views.addAll(gen.views("small", gen.direction(), 2, 0.05));
        Fold f = new KMeansStrategy().fold(views);
        for (int i = 0; i < views.size(); i++) {
            assertEquals(views.get(i).viewId().startsWith("small"), f.outlier()[i]);
        }
    }

    @Test
    void maxPoolsElementWise() {
        List<View> views = List.of(new View("a", "a", new float[] {1, 0, 0}), new View("b", "b", new float[] {0, 0.6f, 0.8f}));
        Fold f = new MaxStrategy().fold(views);
        float n = (float) Math.sqrt(1 + 0.36 + 0.64);
        assertArrayEquals(new float[] {1 / n, 0.6f / n, 0.8f / n}, f.vector(), 1e-6f);
    }

    @Test
    void gmpMakesARareViewAsFindableAsARepeatedOne() {
        float[] e1 = {1, 0, 0};
        float[] e2 = {0, 1, 0};
        List<View> views = List.of(new View("a", "0", e1), new View("b", "5", e1.clone()), new View("c", "10", e1.clone()),
                new View("d", "180", e2));
        // Ridge solution of view·ξ = 1: weight 1/(3+λ) on each copy of e1 and 1/(1+λ) on e2.
        double x = 3 / 3.1;
        double y = 1 / 1.1;
        double norm = Math.hypot(x, y);
        Fold gmp = new GeneralizedMaxPoolingStrategy(0.1).fold(views);
        assertArrayEquals(new float[] {(float) (x / norm), (float) (y / norm), 0}, gmp.vector(), 1e-6f);
        Fold mean = new MeanStrategy().fold(views);
        assertTrue(mean.agreement()[0] - mean.agreement()[3] > 0.6, "the mean follows the repeated view");
        assertEquals(gmp.agreement()[0], gmp.agreement()[3], 0.05, "every view matches the pooled vector alike");
        assertTrue(gmp.explanation().startsWith("generalized max pooling of 4 views"), gmp.explanation());
    }

    @Test
    void gmpFallsBackToTheMeanBeyondItsViewLimit() {
        List<View> views = gen.views("many", gen.direction(), GeneralizedMaxPoolingStrategy.MAX_VIEWS + 1, 0.05);
        Fold f = new GeneralizedMaxPoolingStrategy().fold(views);
        assertArrayEquals(new MeanStrategy().fold(views).vector(), f.vector(), 1e-6f);
        assertTrue(f.explanation().startsWith("mean of 1025 views"), f.explanation());
    }

    @Test
    void viewsReachTheSequenceModelInViewOrderOrElseTimeOrder(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("last.onnx");
        TinyOnnx.lastStepModel(model, 3);
        java.time.Instant t = java.time.Instant.parse("2026-11-24T10:00:00Z");
        try (SequenceStrategy s = new SequenceStrategy(model)) {
            List<View> numbered = new ArrayList<>(List.of(
                    new View("a", "45", new float[] {1, 0, 0}, t.plusSeconds(9)),
                    new View("b", "5", new float[] {0, 1, 0}, t.plusSeconds(1)),
                    new View("c", "300", new float[] {0, 0, 1}, t)));
            numbered.sort(ViewOrder.ORDER);
            assertArrayEquals(new float[] {0, 0, 1}, s.fold(numbered).vector(), 1e-6f, "300 is the last angle");
            List<View> named = new ArrayList<>(List.of(
                    new View("a", "front", new float[] {1, 0, 0}, t.plusSeconds(9)),
                    new View("b", "back", new float[] {0, 1, 0}, t.plusSeconds(1)),
                    new View("c", "side", new float[] {0, 0, 1}, t)));
            named.sort(ViewOrder.ORDER);
            assertArrayEquals(new float[] {1, 0, 0}, s.fold(named).vector(), 1e-6f, "'front' was taken last");
        }
    }

    @Test
    void aSequenceModelReadsTheViewsInOrder(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("seq.onnx");
        // folded = mean(views) · W with W[i][j] = 1 when i % 4 == j: sums of every 4th dimension.
        TinyOnnx.sequenceModel(model, 8, 4, (i, j) -> i % 4 == j ? 1 : 0);
        try (SequenceStrategy s = new SequenceStrategy(model)) {
            List<View> views = List.of(
                    new View("a", "1", new float[] {1, 0, 0, 0, 0, 0, 0, 0}),
                    new View("b", "2", new float[] {0, 0, 0, 0, 0, 1, 0, 0}),
                    new View("c", "3", new float[] {0, 0, 0.6f, 0, 0, 0, 0.8f, 0}));
            Fold f = s.fold(views);
            // mean = (1, 0, 0.2, 0, 0, 1/3, 0.8/3, 0)/... ; W sums dims {0,4} {1,5} {2,6} {3,7}
            float[] expected = Vectors.normalised(new float[] {1f / 3, 1f / 3, (0.6f + 0.8f) / 3, 0});
            assertArrayEquals(expected, f.vector(), 1e-5f);
            assertTrue(f.explanation().contains("3 views in view order through seq.onnx → 4-d"), f.explanation());
            assertEquals(3, f.agreement().length);
        }
    }
}
