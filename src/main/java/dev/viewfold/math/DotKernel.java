package dev.viewfold.math;

/** Inner product of two float runs; the search index's inner loop, so it has a SIMD and a scalar form. */
public interface DotKernel {

    float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

    /**
     * Four inner products with one query run {@code q}, into {@code out[outOffset .. outOffset+3]}:
     * each equal, bit for bit, to {@link #dot} of that run with {@code q}. A kernel that walks the
     * four runs side by side loads the query once per step and keeps four memory streams in flight
     * (what a graph search does for a node's neighbours).
     */
    default void dot4(float[] a0, int o0, float[] a1, int o1, float[] a2, int o2, float[] a3, int o3,
            float[] q, int qOffset, int length, float[] out, int outOffset) {
        out[outOffset] = dot(a0, o0, q, qOffset, length);
        out[outOffset + 1] = dot(a1, o1, q, qOffset, length);
        out[outOffset + 2] = dot(a2, o2, q, qOffset, length);
        out[outOffset + 3] = dot(a3, o3, q, qOffset, length);
    }

    /** For log lines and benchmark tables: which instruction path runs. */
    String name();
}
