package dev.viewfold.groups;

import dev.viewfold.math.ScalarDot;

/**
 * The arithmetic of the heads' layers, shared by {@link ProjectionHead#project} and training so that
 * both produce the same floats. Weights are stored input-major ({@code w[k·out + j]}): every inner
 * loop is then a contiguous {@code y[j] += a · w[j]}, which the JIT vectorises, and whose result does
 * not depend on how it is vectorised (each output element is summed in input order).
 */
public final class Dense {

    private Dense() {
    }

    /**
     * {@code z = b + Σ_k x[k] · w[k, ·]} for a layer of {@code in} inputs and {@code out} outputs.
     * Zero inputs (ReLU outputs, sparse embeddings) are skipped: they add nothing.
     */
    static void affine(float[] x, int xOff, int in, float[] params, int wOff, int bOff, int out, float[] z,
            int zOff) {
        System.arraycopy(params, bOff, z, zOff, out);
        for (int k = 0; k < in; k++) {
            float a = x[xOff + k];
            if (a != 0f) {
                int base = wOff + k * out;
                for (int j = 0; j < out; j++) {
                    z[zOff + j] += a * params[base + j];
                }
            }
        }
    }

    /**
     * Scales {@code z[off, off+n)} into {@code y} at unit length and returns the norm it had; a zero
     * vector stays zero (norm 0).
     */
    public static float normalise(float[] z, int zOff, float[] y, int yOff, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            float v = z[zOff + j];
            s += (double) v * v;
        }
        float norm = (float) Math.sqrt(s);
        float inv = norm > 0 ? 1f / norm : 0f;
        for (int j = 0; j < n; j++) {
            y[yOff + j] = z[zOff + j] * inv;
        }
        return norm;
    }

    /**
     * Dot product with four partial sums in a fixed order: fast and still deterministic (the scalar
     * kernel, never the SIMD one, whose sums are ordered by the machine's vector width).
     */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return SCALAR.dot(a, aOff, b, bOff, n);
    }

    private static final ScalarDot SCALAR = new ScalarDot();
}
