package dev.viewfold.cluster.umap;

/** Squared Euclidean distance, unrolled: four independent sums keep the FP pipeline busy. */
final class SquaredEuclidean {

    private SquaredEuclidean() {
    }

    static float of(float[] a, float[] b) {
        int d = a.length;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            float x0 = a[k] - b[k];
            float x1 = a[k + 1] - b[k + 1];
            float x2 = a[k + 2] - b[k + 2];
            float x3 = a[k + 3] - b[k + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; k < d; k++) {
            float x = a[k] - b[k];
            s0 += x * x;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
