package dev.viewfold.aggregate;

import dev.viewfold.math.Vectors;

import java.util.Arrays;
import java.util.List;

/** Shared arithmetic of the strategies: means, medoids, agreements, medians. */
final class Consensus {

    private Consensus() {
    }

    static List<float[]> vectors(List<View> views) {
        return views.stream().map(View::vector).toList();
    }

    /** Normalised (weighted) mean; falls back to the first vector when the mean has no direction. */
    static float[] mean(List<float[]> vectors, double[] weights) {
        float[] m = Vectors.normalised(Vectors.weightedSum(vectors, weights));
        return m != null ? m : vectors.get(0).clone();
    }

    static float[] mean(List<float[]> vectors) {
        double[] w = new double[vectors.size()];
        Arrays.fill(w, 1);
        return mean(vectors, w);
    }

    /** Index of the vector with the largest summed cosine to all others: the most central view. */
    static int medoid(List<float[]> vectors) {
        int n = vectors.size();
        double[] sum = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double c = Vectors.dot(vectors.get(i), vectors.get(j));
                sum[i] += c;
                sum[j] += c;
            }
        }
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (sum[i] > sum[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Geometric median (Weiszfeld's iteration) of unit vectors, started from {@code start}: the
     * point with the least summed distance to all views. Up to half of the views can be anything
     * without dragging it far, unlike the mean. Returned at unit length.
     */
    static float[] geometricMedian(List<float[]> vectors, float[] start) {
        int d = start.length;
        double[] c = new double[d];
        for (int j = 0; j < d; j++) {
            c[j] = start[j];
        }
        for (int iter = 0; iter < 50; iter++) {
            double[] next = new double[d];
            double wsum = 0;
            for (float[] v : vectors) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = v[j] - c[j];
                    dist += diff * diff;
                }
                double w = 1 / Math.max(Math.sqrt(dist), 1e-9);
                wsum += w;
                for (int j = 0; j < d; j++) {
                    next[j] += w * v[j];
                }
            }
            double moved = 0;
            for (int j = 0; j < d; j++) {
                next[j] /= wsum;
                moved += (next[j] - c[j]) * (next[j] - c[j]);
            }
            c = next;
            if (moved < 1e-12) {
                break;
            }
        }
        float[] out = new float[d];
        for (int j = 0; j < d; j++) {
            out[j] = (float) c[j];
        }
        float[] unit = Vectors.normalised(out);
        return unit != null ? unit : start.clone();
    }

    static float[] agreement(List<float[]> vectors, float[] consensus) {
        float[] a = new float[vectors.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Vectors.cosine(vectors.get(i), consensus);
        }
        return a;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? 0 : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Median cosine distance to the consensus over the views not flagged. */
    static double dispersion(float[] agreement, boolean[] outlier) {
        double[] d = new double[agreement.length];
        int k = 0;
        for (int i = 0; i < agreement.length; i++) {
            if (!outlier[i]) {
                d[k++] = 1 - agreement[i];
            }
        }
        return median(Arrays.copyOf(d, k));
    }
}
