package dev.viewfold.math;

/** Inner product of two float runs; the search index's inner loop, so it has a SIMD and a scalar form. */
public interface DotKernel {

    float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** For log lines and benchmark tables: which instruction path runs. */
    String name();
}
