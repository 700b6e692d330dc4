package dev.viewfold.store;

import dev.viewfold.aggregate.Fold;
import dev.viewfold.aggregate.FoldStrategy;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.aggregate.View;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What float16 in the table does to what Viewfold computes from it: the table's vectors come back
 * rounded (each component to 11 significant bits), and folds and searches read them. Embeddings
 * here are 1280-d like MobileNetV2's: non-negative, many near zero, objects of 8 views with one odd
 * view each.
 */
class Float16VectorsTest {

    static final int D = 1280;
    static final UnaryOperator<float[]> HALF = VectorBytes::roundToFloat16;

    @Test
    void float16BytesRoundTripAndFloat32OnesAreUnchanged() {
        float[] v = {0.6f, -0.8f, 0f, 65504f, 1f / 3, 1e-6f};
        assertArrayEquals(HALF.apply(v), VectorBytes.decodeFloat16(VectorBytes.encodeFloat16(v)), 0f);
        assertEquals(12, VectorBytes.encodeFloat16(v).length);
        assertArrayEquals(v, VectorBytes.decode(VectorBytes.encode(v)), 0f);
        assertArrayEquals(HALF.apply(v), HALF.apply(HALF.apply(v)), 0f, "a row rewritten (a label edit) changes no more");
        assertTrue(VectorBytes.fitsFloat16(v));
        assertFalse(VectorBytes.fitsFloat16(new float[] {65536f}));
        assertFalse(VectorBytes.fitsFloat16(new float[] {Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> VectorBytes.decodeFloat16(new byte[3]));
    }

    @Test
    void aUnitVectorKeepsACosineAbove09999ToItself() {
        Random random = new Random(1);
        double least = 1;
        for (int i = 0; i < 1000; i++) {
            float[] v = i % 2 == 0 ? embedding(random) : gaussianUnit(random);
            least = Math.min(least, cosine(v, HALF.apply(v)));
        }
        assertTrue(least > 0.9999, "least cosine " + least);
        assertTrue(least > 1 - 1e-6, "in fact far closer: " + least);
    }

    /** The aggregate function folds the stored (float16) views; then the fold is stored as float16 too. */
    @Test
    void foldsOfFloat16ViewsEqualTheFloat32FoldsWithinATolerance() {
        Random random = new Random(18);
        for (FoldStrategy strategy : List.of(new RobustStrategy(2, 0.1), new MeanStrategy())) {
            for (int o = 0; o < 40; o++) {
                List<View> exact = observation(random, 8);
                List<View> half = exact.stream().map(v -> new View(v.imageId(), v.viewId(), HALF.apply(v.vector()))).toList();
                Fold a = strategy.fold(exact);
                Fold b = strategy.fold(half);
                assertTrue(cosine(a.vector(), b.vector()) > 0.9999, strategy.name());
                assertTrue(cosine(a.vector(), HALF.apply(b.vector())) > 0.9999, "and as the table stores it");
                assertArrayEquals(a.outlier(), b.outlier(), strategy.name() + ": the same views left out");
                assertEquals(a.dispersion(), b.dispersion(), 5e-3, strategy.name());
                if (strategy instanceof MeanStrategy) {
                    // robust's consensus may become another of two nearly equal views, which moves the
                    // per-view agreements (by up to 0.05 here) and neither the fold nor the flags
                    assertArrayEquals(a.agreement(), b.agreement(), 5e-3f, strategy.name());
                }
            }
        }
    }

    /**
     * An exact search over a gallery read from the table: the scores of the top 10 move by less
     * than 1e-3 (a few heavy components dominate these vectors, as they can real ones), whether
     * the query was just encoded (float32) or is a stored row (float16).
     */
    @Test
    void searchScoresOverFloat16RowsMoveByLessThan1e3() {
        Random random = new Random(7);
        List<float[]> gallery = new ArrayList<>();
        for (int o = 0; o < 60; o++) {
            observation(random, 8).forEach(v -> gallery.add(v.vector()));
        }
        List<float[]> stored = gallery.stream().map(HALF).toList();
        int sameBest = 0;
        int queries = 0;
        for (int q = 0; q < gallery.size(); q += 5) {
            double[] reference = topScores(gallery.get(q), gallery, q);
            double[] encoded = topScores(gallery.get(q), stored, q);
            double[] byId = topScores(stored.get(q), stored, q);
            assertArrayEquals(reference, encoded, 1e-3);
            assertArrayEquals(reference, byId, 1e-3);
            sameBest += best(gallery.get(q), gallery, q) == best(gallery.get(q), stored, q) ? 1 : 0;
            queries++;
        }
        // views of one object are nearly equal here: a near-tie may swap the best two, never their scores
        assertTrue(sameBest >= 0.95 * queries, sameBest + " of " + queries);
    }

    /** An object: a direction of its own, 8 views near it, one of them an odd view nearer another object. */
    static List<View> observation(Random random, int views) {
        float[] object = embedding(random);
        float[] other = embedding(random);
        List<View> out = new ArrayList<>();
        for (int i = 0; i < views; i++) {
            float[] v = new float[D];
            float[] base = i == views - 1 ? other : object;
            for (int d = 0; d < D; d++) {
                v[d] = Math.max(0, base[d] + (float) (0.01 * random.nextGaussian()));
            }
            out.add(new View("s3://b/images/o/" + i + ".jpg", Integer.toString(i), unit(v)));
        }
        return out;
    }

    /** Non-negative, a third of the components zero, the rest spread over two orders of magnitude. */
    static float[] embedding(Random random) {
        float[] v = new float[D];
        for (int d = 0; d < D; d++) {
            v[d] = random.nextInt(3) == 0 ? 0 : (float) Math.exp(2 * random.nextGaussian());
        }
        return unit(v);
    }

    static float[] gaussianUnit(Random random) {
        float[] v = new float[D];
        for (int d = 0; d < D; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return unit(v);
    }

    static float[] unit(float[] v) {
        double n = Math.sqrt(dot(v, v));
        for (int d = 0; d < v.length; d++) {
            v[d] /= (float) n;
        }
        return v;
    }

    static double[] topScores(float[] query, List<float[]> gallery, int skip) {
        double[] scores = new double[gallery.size() - 1];
        int at = 0;
        for (int i = 0; i < gallery.size(); i++) {
            if (i != skip) {
                scores[at++] = dot(query, gallery.get(i));
            }
        }
        java.util.Arrays.sort(scores);
        double[] top = new double[10];
        for (int k = 0; k < 10; k++) {
            top[k] = scores[scores.length - 1 - k];
        }
        return top;
    }

    static int best(float[] query, List<float[]> gallery, int skip) {
        int best = -1;
        double score = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < gallery.size(); i++) {
            double s = dot(query, gallery.get(i));
            if (i != skip && s > score) {
                score = s;
                best = i;
            }
        }
        return best;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }
}
