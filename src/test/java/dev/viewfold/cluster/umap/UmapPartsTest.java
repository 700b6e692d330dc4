package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces against umap-learn's and sklearn's own figures (values in reference.properties). */
class UmapPartsTest {

    @Test
    void curveFitMatchesUmapLearn() {
        // umap.umap_.find_ab_params(spread, min_dist), umap-learn 0.5.3
        assertAb(CurveFit.of(1.0, 0.1), 1.5769434601962196, 0.8950608779914887);
        assertAb(CurveFit.of(1.0, 0.5), 0.583030020479462, 1.3341669929263487);
        assertAb(CurveFit.of(2.0, 0.0), 0.646046672809973, 0.7904944901548902);
    }

    private static void assertAb(CurveFit fit, double a, double b) {
        assertEquals(a, fit.a(), 2e-3 * a, "a");
        assertEquals(b, fit.b(), 2e-3 * b, "b");
    }

    @Test
    void trustworthinessMatchesSklearn() {
        // sklearn.manifold.trustworthiness(x, y, n_neighbors=5) on the same 60 points, float32 (sklearn 1.2.1)
        float[][] x = new float[60][];
        float[][] y = new float[60][];
        float[][] firstAxis = new float[60][];
        for (int i = 0; i < 60; i++) {
            x[i] = new float[] {(float) (Math.cos(i / 7.0) * i), (float) (Math.sin(i / 7.0) * i)};
            y[i] = new float[] {(float) ((i * 37) % 60 + i / 64.0), (i * i) % 11};
            firstAxis[i] = new float[] {x[i][0]};
        }
        assertEquals(0.423974358974359, Trustworthiness.of(x, y, 5, Metric.EUCLIDEAN, 2), 1e-9);
        assertEquals(0.7299358974358974, Trustworthiness.of(x, firstAxis, 5, Metric.EUCLIDEAN, 1), 1e-9);
        assertEquals(1.0, Trustworthiness.of(x, x, 5, Metric.EUCLIDEAN, 1), 1e-12);
    }

    @Test
    void jacobiDiagonalises() {
        double[][] m = {{4, 1, 2}, {1, 3, 0}, {2, 0, 5}};
        SymmetricEigen e = SymmetricEigen.of(m);
        for (int j = 0; j < 3; j++) {
            for (int r = 0; r < 3; r++) {
                double mv = 0;
                for (int c = 0; c < 3; c++) {
                    mv += m[r][c] * e.vectors[j][c];
                }
                assertEquals(e.values[j] * e.vectors[j][r], mv, 1e-9);
            }
        }
        assertTrue(e.values[0] >= e.values[1] && e.values[1] >= e.values[2]);
    }

    @Test
    void pcaFindsTheLongAxes() {
        Rng rng = new Rng(3);
        float[][] x = new float[3000][10];
        for (float[] row : x) {
            for (int k = 0; k < 10; k++) {
                row[k] = (float) (rng.nextGaussian() * (k == 7 ? 10 : k == 2 ? 5 : 0.5));
            }
        }
        Pca pca = Pca.fit(x, 2, 1, 2);
        double[] var = pca.variances();
        assertEquals(100, var[0], 10);
        assertEquals(25, var[1], 3);
        float[][] y = pca.transform(x, 2);
        // The first coordinate is (up to sign, fixed) the 8th input axis.
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i][7] * y[i][0];
            nx += x[i][7] * x[i][7];
            ny += y[i][0] * y[i][0];
        }
        assertTrue(Math.abs(dot) / Math.sqrt(nx * ny) > 0.99);
    }

    @Test
    void nnDescentFindsNearlyAllTrueNeighbours() {
        float[][] x = FashionMnist.images(3000);
        float[][] points = Pca.fit(x, 30, 1, 2).transform(x, 2);
        try (Chunks chunks = new Chunks(2)) {
            KnnGraph exact = ExactKnn.of(points, 15, chunks);
            KnnGraph approx = NnDescent.of(points, 15, 7, chunks, f -> { });
            int hits = 0;
            for (int i = 0; i < points.length; i++) {
                for (int a = 1; a < 15; a++) {
                    for (int b = 1; b < 15; b++) {
                        if (approx.indices()[i * 15 + a] == exact.indices()[i * 15 + b]) {
                            hits++;
                            break;
                        }
                    }
                }
                assertEquals(i, approx.indices()[i * 15], "self first");
            }
            double recall = hits / (14.0 * points.length);
            assertTrue(recall > 0.95, "recall " + recall);
            try (Chunks one = new Chunks(1)) {
                assertArrayEquals(approx.indices(), NnDescent.of(points, 15, 7, one, f -> { }).indices(),
                        "same neighbours with 1 or 2 threads");
            }
        }
    }

    @Test
    void fastPowIsCloseToMathPow() {
        Rng rng = new Rng(5);
        for (int t = 0; t < 100_000; t++) {
            float x = (float) Math.exp(rng.nextDouble() * 40 - 20);
            float b = (float) (0.5 + rng.nextDouble());
            double exact = Math.pow(x, b);
            assertEquals(exact, FastPow.pow(x, b), 2e-5 * exact, () -> "pow(" + x + ", " + b + ")");
        }
        assertEquals(Math.pow(1e-40, 0.9), FastPow.pow(1e-40f, 0.9f), 1e-40);
    }

    @Test
    void spectralStartKeepsGraphPiecesApart() {
        // Three far-apart clouds: three pieces of the kNN graph, each laid out in its own box.
        Rng rng = new Rng(8);
        float[][] x = new float[300][3];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < 3; k++) {
                x[i][k] = (float) ((k == i % 3 ? 100 : 0) + rng.nextGaussian());
            }
        }
        try (Chunks chunks = new Chunks(2)) {
            KnnGraph knn = ExactKnn.of(x, 15, chunks);
            float[] d = new float[knn.squaredDistances().length];
            for (int t = 0; t < d.length; t++) {
                d[t] = (float) Math.sqrt(knn.squaredDistances()[t]);
            }
            FuzzyGraph graph = FuzzyGraph.of(knn, d);
            assertEquals(3, SpectralLayout.components(graph, new int[300]));
            float[] layout = SpectralLayout.of(graph, x, 2, 1, chunks);
            double[][] centre = new double[3][2];
            for (int i = 0; i < 300; i++) {
                for (int k = 0; k < 2; k++) {
                    assertTrue(Float.isFinite(layout[2 * i + k]));
                    centre[i % 3][k] += layout[2 * i + k] / 100;
                }
            }
            for (int i = 0; i < 300; i++) {
                int nearest = 0;
                for (int c = 1; c < 3; c++) {
                    if (dist(layout, i, centre[c]) < dist(layout, i, centre[nearest])) {
                        nearest = c;
                    }
                }
                assertEquals(i % 3, nearest, "point " + i + " starts nearer another piece");
            }
        }
    }

    private static double dist(float[] layout, int i, double[] c) {
        double dx = layout[2 * i] - c[0];
        double dy = layout[2 * i + 1] - c[1];
        return Math.sqrt(dx * dx + dy * dy);
    }
}
