package dev.viewfold.math;

/** Vector helpers over {@code float[]}, accumulating in double where sums can be long. */
public final class Vectors {

    private Vectors() {
    }

    /**
     * Scales {@code v} to unit L2 norm in place. Returns null on success, or the reason the vector
     * cannot be used (all zeros, NaN or infinite values), for a failed row.
     */
    public static String normaliseInPlace(float[] v) {
        double sum = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return "the model produced non-finite values (NaN or infinity) for this image";
            }
            sum += (double) x * x;
        }
        if (sum == 0) {
            return "the model produced an all-zero embedding for this image";
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return null;
    }

    /** A unit-length copy of {@code v}, or null when it has no direction (all zero or not finite). */
    public static float[] normalised(float[] v) {
        float[] copy = v.clone();
        return normaliseInPlace(copy) == null ? copy : null;
    }

    public static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /** {@code Σ w_i · v_i}, unnormalised. */
    public static float[] weightedSum(java.util.List<float[]> vectors, double[] weights) {
        double[] acc = new double[vectors.get(0).length];
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            double w = weights[i];
            for (int j = 0; j < acc.length; j++) {
                acc[j] += w * v[j];
            }
        }
        float[] out = new float[acc.length];
        for (int j = 0; j < acc.length; j++) {
            out[j] = (float) acc[j];
        }
        return out;
    }

    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
