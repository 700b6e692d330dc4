package dev.viewfold.groups;

import dev.viewfold.math.Rng;
import dev.viewfold.math.Vectors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewWhiteningTest {

    /**
     * Observation i sits at +0.2 or −0.2 on axis 0 (what it is); its views turn along axis 1 (the angle it
     * was photographed from, large, shared by all); axis 2 is small noise, axis 3 the common component.
     * Even observations were photographed from one side (angle −0.5 ± 0.1), odd ones from the other.
     */
    static float[][] observation(int i, int views, Rng rng, double side) {
        float[][] out = new float[views][];
        for (int v = 0; v < views; v++) {
            out[v] = Vectors.normalised(new float[] {
                    (float) ((i % 2 == 0 ? 0.2 : -0.2) + 0.01 * rng.nextGaussian()),
                    (float) (side + 0.1 * rng.nextGaussian()),
                    (float) (0.01 * rng.nextGaussian()),
                    1f});
        }
        return out;
    }

    static float[] mean(float[][] views) {
        float[] m = new float[views[0].length];
        for (float[] v : views) {
            for (int k = 0; k < m.length; k++) {
                m[k] += v[k];
            }
        }
        return Vectors.normalised(m);
    }

    @Test
    void aFoldFindsAViewFromAnAngleItsGalleryNeverShowed() {
        Rng rng = new Rng(7);
        List<float[][]> gallery = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            gallery.add(observation(i, 6, rng, i % 2 == 0 ? -0.5 : 0.5));
        }
        // A view of observation 0 taken from the side only odd observations were photographed from.
        float[] query = observation(0, 1, rng, 0.5)[0];
        ProjectionHead head = ViewWhitening.fit(gallery, ViewWhitening.DEFAULT_SHRINK);

        assertEquals(1, nearest(query, gallery, v -> v) % 2, "raw: the angle decides, so an odd observation wins");
        assertEquals(0, nearest(query, gallery, head::project) % 2, "whitened: what it is decides");
    }

    private static int nearest(float[] query, List<float[][]> gallery, java.util.function.UnaryOperator<float[]> f) {
        float[] q = f.apply(query);
        int best = -1;
        double bestScore = -2;
        for (int i = 0; i < gallery.size(); i++) {
            float[][] views = gallery.get(i).clone();
            for (int v = 0; v < views.length; v++) {
                views[v] = f.apply(views[v]);
            }
            double s = Vectors.dot(q, mean(views));
            if (s > bestScore) {
                bestScore = s;
                best = i;
            }
        }
        return best;
    }

    @Test
    void theSameViewsGiveTheSameHeadByteForByte() {
        List<float[][]> a = new ArrayList<>();
        List<float[][]> b = new ArrayList<>();
        Rng r1 = new Rng(3);
        Rng r2 = new Rng(3);
        for (int i = 0; i < 5; i++) {
            a.add(observation(i, 3, r1, 0));
            b.add(observation(i, 3, r2, 0));
        }
        assertArrayEquals(ViewWhitening.fit(a, 0.1).toBytes(), ViewWhitening.fit(b, 0.1).toBytes());
        ProjectionHead h = ViewWhitening.fit(a, 0.1);
        assertEquals(HeadKind.LINEAR, h.kind());
        assertEquals(4, h.outputDim());
    }

    @Test
    void refusesWhatItCannotLearnFrom() {
        Rng rng = new Rng(1);
        float[][] single = observation(0, 1, rng, 0);
        float[][] pair = observation(1, 2, rng, 0);
        assertEquals("whitening learns from observations with two or more views; only one has (upload several photos"
                        + " per observation)",
                assertThrows(IllegalArgumentException.class,
                        () -> ViewWhitening.fit(List.of(single, pair, single), 0.1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ViewWhitening.fit(List.<float[][]>of(single), 0.1)).getMessage().contains("none has"));
        float[] v = {0.6f, 0.8f};
        assertEquals("the views of every observation are identical: nothing to whiten",
                assertThrows(IllegalArgumentException.class, () -> ViewWhitening.fit(
                        List.of(new float[][] {v, v}, new float[][] {v, v}), 0.1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ViewWhitening.fit(
                List.of(pair, new float[][] {{1, 0}, {0, 1}}), 0.1));
        for (double bad : new double[] {0, -1, Double.NaN, 1e7, Double.POSITIVE_INFINITY}) {
            assertEquals("shrink must be a number above 0 and at most 1e6 (default 0.3), not " + bad,
                    assertThrows(IllegalArgumentException.class, () -> ViewWhitening.fit(List.of(pair, pair), bad))
                            .getMessage());
        }
        // A direction no view moves in, and a ridge that underflows: said in words, not as a matrix row.
        float[][] flat = {{0.6f, 0.8f, 0}, {0.8f, 0.6f, 0}};
        assertEquals("the views' covariance is singular even with shrink 4.9E-324: raise it (default 0.3)",
                assertThrows(IllegalArgumentException.class,
                        () -> ViewWhitening.fit(List.of(flat, flat), Double.MIN_VALUE)).getMessage());
    }
}
