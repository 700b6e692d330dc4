package dev.viewfold.cluster.umap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UmapBlobsTest {

    /** Six Gaussian blobs in 40-d, far apart: each must come out as its own island in 2-d and 5-d. */
    @Test
    void wellSeparatedBlobsStaySeparated() {
        int blobs = 6;
        Blobs data = Blobs.of(blobs, 150, 40, 11);
        float[][] x = data.x();
        int[] label = data.label();
        for (int dim : new int[] {2, 5}) {
            for (Init init : Init.values()) {
                float[][] y = new Umap(Umap.Params.defaults().withMetric(Metric.EUCLIDEAN).withNComponents(dim)
                        .withInit(init).withNEpochs(200)).fit(x);
                // Every point's farthest same-blob point is nearer than its nearest other-blob point
                // would need to be for single linkage to split it off: the blobs are separable.
                double maxWithin = 0;
                double minBetween = Double.MAX_VALUE;
                for (int b = 0; b < blobs; b++) {
                    double[] c = centroid(y, label, b);
                    for (int i = 0; i < y.length; i++) {
                        double d = UmapEdgeCasesTest.dist(y[i], toFloat(c));
                        if (label[i] == b) {
                            maxWithin = Math.max(maxWithin, d);
                        } else {
                            minBetween = Math.min(minBetween, d);
                        }
                    }
                }
                assertEquals(true, minBetween > maxWithin,
                        dim + "-d " + init + ": within " + maxWithin + " between " + minBetween);
            }
        }
    }

    private static double[] centroid(float[][] y, int[] label, int b) {
        double[] c = new double[y[0].length];
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            if (label[i] == b) {
                for (int k = 0; k < c.length; k++) {
                    c[k] += y[i][k];
                }
                n++;
            }
        }
        for (int k = 0; k < c.length; k++) {
            c[k] /= n;
        }
        return c;
    }

    private static float[] toFloat(double[] c) {
        float[] f = new float[c.length];
        for (int k = 0; k < c.length; k++) {
            f[k] = (float) c[k];
        }
        return f;
    }
}
