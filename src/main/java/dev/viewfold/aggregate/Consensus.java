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
     * Geometric median of unit vectors, started from {@code start}: the point with the least summed
     * distance to all views, so up to half of them can be anything without dragging it far, unlike
     * the mean. Weiszfeld's iteration with Vardi and Zhang's step at a view: plain Weiszfeld weighs
     * a view the iterate sits on by 1/0, so started on the medoid it never left it, and the
     * "median" was one view. Returned at unit length.
     */
    static float[] geometricMedian(List<float[]> vectors, float[] start) {
        int d = start.length;
        double[] c = new double[d];
        for (int j = 0; j < d; j++) {
            c[j] = start[j];
        }
        for (int iter = 0; iter < 100; iter++) {
            double[] pull = new double[d]; // Σ x/‖x−c‖ over the views c is not on
            double wsum = 0;
            int on = 0; // views the iterate sits on
            for (float[] v : vectors) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = v[j] - c[j];
                    dist += diff * diff;
                }
                dist = Math.sqrt(dist);
                if (dist < 1e-10) {
                    on++;
                    continue;
                }
                double w = 1 / dist;
                wsum += w;
                for (int j = 0; j < d; j++) {
                    pull[j] += w * v[j];
                }
            }
            if (wsum == 0) {
                break; // every view is where the iterate is
            }
            double[] next = new double[d];
            if (on == 0) {
                for (int j = 0; j < d; j++) {
                    next[j] = pull[j] / wsum;
                }
            } else {
                // r = ‖Σ (x−c)/‖x−c‖‖: the others' pull. At most the views c sits on: c is the median.
                double r = 0;
                for (int j = 0; j < d; j++) {
                    double g = pull[j] - wsum * c[j];
                    r += g * g;
                }
                r = Math.sqrt(r);
                if (r <= on) {
                    break;
                }
                double stay = on / r;
                for (int j = 0; j < d; j++) {
                    next[j] = (1 - stay) * pull[j] / wsum + stay * c[j];
                }
            }
            double moved = 0;
            for (int j = 0; j < d; j++) {
                moved += (next[j] - c[j]) * (next[j] - c[j]);
            }
            c = next;
            if (moved < 1e-14) {
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
