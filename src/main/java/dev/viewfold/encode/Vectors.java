package dev.viewfold.encode;

/** Small vector helpers for the encode path. */
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
