package dev.viewfold.cluster.umap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UmapEdgeCasesTest {

    private static final Umap.Params FAST = Umap.Params.defaults().withNEpochs(50).withThreads(2);

    @Test
    void fewerPointsThanNeighbours() {
        for (int n = 1; n <= 16; n++) {
            float[][] x = new float[n][];
            for (int i = 0; i < n; i++) {
                x[i] = new float[] {i, (i * 7) % 5, 1};
            }
            for (Metric metric : Metric.values()) {
                float[][] y = new Umap(FAST.withMetric(metric)).fit(x);
                assertFinite(y, n, 2);
            }
        }
    }

    @Test
    void duplicatePointsStaySane() {
        float[][] x = new float[300][];
        for (int i = 0; i < x.length; i++) {
            int group = i % 3;
            x[i] = new float[] {group, group * group, 1 - group, 0.5f};
        }
        float[][] y = new Umap(FAST.withMetric(Metric.EUCLIDEAN)).fit(x);
        assertFinite(y, 300, 2);
        // Copies of one point land nearer one another than to the other groups.
        double within = 0;
        double between = 0;
        for (int i = 0; i < 30; i++) {
            within += dist(y[i], y[i + 3]);
            between += dist(y[i], y[i + 1]);
        }
        assertTrue(within < between, "within " + within + " between " + between);
    }

    @Test
    void constantInput() {
        float[][] x = new float[200][8];
        for (float[] row : x) {
            java.util.Arrays.fill(row, 3f);
        }
        assertFinite(new Umap(FAST.withMetric(Metric.EUCLIDEAN)).fit(x), 200, 2);
        assertFinite(new Umap(FAST).fit(x), 200, 2);
        assertFinite(new Umap(FAST).fit(new float[200][8]), 200, 2); // zero vectors under cosine
        assertFinite(new Umap(FAST.withPcaComponents(4).withInit(Init.PCA)).fit(x), 200, 2);
    }

    @Test
    void badParamsSayWhatIsWrong() {
        Umap.Params p = Umap.Params.defaults();
        assertMessage("nNeighbors must be at least 2, got 1", () -> p.withNNeighbors(1));
        assertMessage("nComponents must be at least 1, got 0", () -> p.withNComponents(0));
        assertMessage("minDist must be ≥ 0, got -0.1", () -> p.withMinDist(-0.1));
        assertMessage("minDist (2.0) must not exceed spread (1.0)", () -> p.withMinDist(2));
        assertMessage("spread must be a positive number, got 0.0", () -> p.withSpread(0));
        assertMessage("nEpochs must be ≥ 0 (0 = automatic), got -1", () -> p.withNEpochs(-1));
        assertMessage("negativeSampleRate must be ≥ 0, got -1", () -> p.withNegativeSampleRate(-1));
        assertMessage("learningRate must be a positive number, got NaN", () -> p.withLearningRate(Double.NaN));
        assertMessage("pcaComponents must be ≥ 0 (0 = no PCA), got -3", () -> p.withPcaComponents(-3));
        assertMessage("threads must be at least 1, got 0", () -> p.withThreads(0));
        assertThrows(NullPointerException.class, () -> p.withMetric(null));
    }

    @Test
    void badDataSaysWhatIsWrong() {
        Umap umap = new Umap(FAST);
        assertMessage("data must have at least one row", () -> umap.fit(new float[0][]));
        assertMessage("row 1 has 2 values, row 0 has 3", () -> umap.fit(new float[][] {{1, 2, 3}, {1, 2}}));
        assertMessage("row 0 has a non-finite value: NaN", () -> umap.fit(new float[][] {{Float.NaN}}));
        assertMessage("row 0 is empty", () -> umap.fit(new float[][] {{}}));
    }

    private static void assertMessage(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(message, e.getMessage());
    }

    static void assertFinite(float[][] y, int n, int dim) {
        assertEquals(n, y.length);
        for (float[] row : y) {
            assertEquals(dim, row.length);
            for (float v : row) {
                assertTrue(Float.isFinite(v), "finite");
            }
        }
    }

    static double dist(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(s);
    }
}
