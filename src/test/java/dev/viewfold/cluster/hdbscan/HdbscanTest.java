package dev.viewfold.cluster.hdbscan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;

/** Parameters, determinism, edge cases and output ranges of {@link Hdbscan}. */
class HdbscanTest {

    @Test
    void rejectsBadParametersWithClearMessages() {
        assertMessage("minClusterSize must be at least 2, got 1", () -> new Hdbscan.Params(1, 5));
        assertMessage("minSamples must be at least 2 (it counts the point itself), got 0", () -> new Hdbscan.Params(5, 0));
        assertMessage("minPts must be at least 2, got 1", () -> Hdbscan.Params.ofMinPts(1));
        assertMessage("params must not be null", () -> new Hdbscan(null));
        Hdbscan h = new Hdbscan(Hdbscan.Params.ofMinPts(5));
        assertMessage("points must not be null", () -> h.fit((float[][]) null));
        assertMessage("point 1 has 3 coordinates, point 0 has 2", () -> h.fit(new float[][] {{0, 0}, {1, 1, 1}}));
        assertMessage("point 1 has a non-finite coordinate", () -> h.fit(new float[][] {{0, 0}, {Float.NaN, 1}}));
        assertMessage("dim must be ≥ 1 and divide the array length 5, got 2", () -> h.fit(new float[5], 2));
    }

    @Test
    void sameInputGivesSameOutputWhateverTheThreads() throws Exception {
        float[][] points = blobs(3000, 4, 3, 7);
        Hdbscan h = new Hdbscan(Hdbscan.Params.ofMinPts(10));
        HdbscanResult a = h.fit(points);
        HdbscanResult b = h.fit(points);
        ForkJoinPool single = new ForkJoinPool(1);
        HdbscanResult c;
        try {
            c = single.submit(() -> h.fit(points)).get();
        } finally {
            single.shutdown();
        }
        for (HdbscanResult other : new HdbscanResult[] {b, c}) {
            assertArrayEquals(a.labels(), other.labels());
            assertArrayEquals(a.probabilities(), other.probabilities());
            assertArrayEquals(a.outlierScores(), other.outlierScores());
        }
        assertEquals(4, a.clusterCount());
    }

    @Test
    void flatAndRowInputsAgree() {
        float[][] points = blobs(500, 3, 2, 3);
        float[] flat = new float[points.length * 2];
        for (int i = 0; i < points.length; i++) {
            System.arraycopy(points[i], 0, flat, i * 2, 2);
        }
        Hdbscan h = new Hdbscan(Hdbscan.Params.ofMinPts(8));
        assertArrayEquals(h.fit(points).labels(), h.fit(flat, 2).labels());
    }

    @Test
    void clustersAreNumberedBySmallestMember() {
        HdbscanResult r = new Hdbscan(Hdbscan.Params.ofMinPts(10)).fit(blobs(2000, 5, 3, 11));
        int next = 0;
        for (int l : r.labels()) {
            if (l >= next) {
                assertEquals(next, l);
                next++;
            }
        }
        assertEquals(r.clusterCount(), next);
    }

    @Test
    void outputsStayInTheirRanges() {
        float[][] points = blobs(2000, 6, 4, 5);
        HdbscanResult r = new Hdbscan(new Hdbscan.Params(12, 6)).fit(points);
        for (int i = 0; i < points.length; i++) {
            assertTrue(r.labels()[i] >= -1 && r.labels()[i] < r.clusterCount());
            assertTrue(r.probabilities()[i] >= 0 && r.probabilities()[i] <= 1);
            assertTrue(r.outlierScores()[i] >= 0 && r.outlierScores()[i] <= 1);
            if (r.labels()[i] < 0) {
                assertEquals(0.0, r.probabilities()[i]);
            }
        }
    }

    @Test
    void tinyAndDegenerateInputsGiveNoiseWithoutExceptions() {
        Hdbscan h = new Hdbscan(Hdbscan.Params.ofMinPts(5));
        assertEquals(0, h.fit(new float[0][]).labels().length);
        HdbscanResult few = h.fit(new float[][] {{0, 0}, {1, 1}, {2, 2}});
        assertArrayEquals(new int[] {-1, -1, -1}, few.labels());
        assertEquals(0, few.clusterCount());
        // Exactly minPts points: one core neighbourhood each, but no split, so no cluster.
        assertEquals(0, h.fit(blobs(5, 1, 2, 1)).clusterCount());
        // All points identical: every distance is 0.
        float[][] same = new float[200][3];
        HdbscanResult r = h.fit(same);
        assertEquals(200, r.labels().length);
        for (int i = 0; i < same.length; i++) {
            assertTrue(Double.isFinite(r.outlierScores()[i]) && Double.isFinite(r.probabilities()[i]));
        }
        // One dimension works too.
        float[][] line = new float[100][1];
        for (int i = 0; i < 100; i++) {
            line[i][0] = i < 50 ? i * 0.01f : 10 + i * 0.01f;
        }
        assertEquals(2, h.fit(line).clusterCount());
    }

    @Test
    void duplicatedPointsShareLabelsAndKeepTheClusters() {
        float[][] base = blobs(600, 3, 2, 9);
        float[][] tripled = new float[base.length * 3][];
        for (int i = 0; i < base.length; i++) {
            for (int c = 0; c < 3; c++) {
                tripled[i * 3 + c] = base[i].clone();
            }
        }
        Hdbscan h = new Hdbscan(Hdbscan.Params.ofMinPts(10));
        HdbscanResult r = h.fit(tripled);
        assertEquals(3, r.clusterCount());
        for (int i = 0; i < base.length; i++) {
            assertEquals(r.labels()[i * 3], r.labels()[i * 3 + 1]);
            assertEquals(r.labels()[i * 3], r.labels()[i * 3 + 2]);
        }
        for (double s : r.outlierScores()) {
            assertTrue(s >= 0 && s <= 1, "GLOSH " + s);
        }
    }

    @Test
    void aClusterOfDuplicatesBesideOthersIsFound() {
        float[][] points = new float[330][];
        float[][] blobs = blobs(300, 2, 2, 4);
        System.arraycopy(blobs, 0, points, 0, 300);
        for (int i = 300; i < 330; i++) {
            points[i] = new float[] {50, 50};
        }
        HdbscanResult r = new Hdbscan(Hdbscan.Params.ofMinPts(10)).fit(points);
        assertEquals(3, r.clusterCount());
        for (int i = 300; i < 330; i++) {
            assertEquals(r.labels()[300], r.labels()[i]);
            assertEquals(1.0, r.probabilities()[i]);
        }
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /** n points in k well-separated Gaussian blobs of the given dimension. */
    static float[][] blobs(int n, int k, int dim, long seed) {
        Random random = new Random(seed);
        float[][] points = new float[n][dim];
        for (int i = 0; i < n; i++) {
            int c = i % k;
            for (int d = 0; d < dim; d++) {
                points[i][d] = (float) (c * 10 * (d == 0 ? 1 : 0.5) + random.nextGaussian() * (0.5 + 0.2 * c));
            }
        }
        return points;
    }
}
