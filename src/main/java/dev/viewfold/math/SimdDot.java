package dev.viewfold.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API (incubating since JDK 16): one fused multiply-add per lane width (16 floats with
 * AVX-512). Only loaded when the JVM was started with {@code --add-modules jdk.incubator.vector};
 * see {@link DotKernels}.
 */
final class SimdDot implements DotKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int width = SPECIES.length();
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (int end = length - 2 * width; i <= end; i += 2 * width) {
            acc0 = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(FloatVector.fromArray(SPECIES, b, bOffset + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, a, aOffset + i + width)
                    .fma(FloatVector.fromArray(SPECIES, b, bOffset + i + width), acc1);
        }
        for (int end = length - width; i <= end; i += width) {
            acc0 = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(FloatVector.fromArray(SPECIES, b, bOffset + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    /** The same steps as {@link #dot} for each run (same lanes, same order: the same bits), four at a time. */
    @Override
    public void dot4(float[] a0, int o0, float[] a1, int o1, float[] a2, int o2, float[] a3, int o3,
            float[] q, int qOffset, int length, float[] out, int outOffset) {
        int width = SPECIES.length();
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES);
        FloatVector s11 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES);
        FloatVector s21 = FloatVector.zero(SPECIES);
        FloatVector s30 = FloatVector.zero(SPECIES);
        FloatVector s31 = FloatVector.zero(SPECIES);
        int i = 0;
        for (int end = length - 2 * width; i <= end; i += 2 * width) {
            FloatVector q0 = FloatVector.fromArray(SPECIES, q, qOffset + i);
            FloatVector q1 = FloatVector.fromArray(SPECIES, q, qOffset + i + width);
            s00 = FloatVector.fromArray(SPECIES, a0, o0 + i).fma(q0, s00);
            s01 = FloatVector.fromArray(SPECIES, a0, o0 + i + width).fma(q1, s01);
            s10 = FloatVector.fromArray(SPECIES, a1, o1 + i).fma(q0, s10);
            s11 = FloatVector.fromArray(SPECIES, a1, o1 + i + width).fma(q1, s11);
            s20 = FloatVector.fromArray(SPECIES, a2, o2 + i).fma(q0, s20);
            s21 = FloatVector.fromArray(SPECIES, a2, o2 + i + width).fma(q1, s21);
            s30 = FloatVector.fromArray(SPECIES, a3, o3 + i).fma(q0, s30);
            s31 = FloatVector.fromArray(SPECIES, a3, o3 + i + width).fma(q1, s31);
        }
        for (int end = length - width; i <= end; i += width) {
            FloatVector q0 = FloatVector.fromArray(SPECIES, q, qOffset + i);
            s00 = FloatVector.fromArray(SPECIES, a0, o0 + i).fma(q0, s00);
            s10 = FloatVector.fromArray(SPECIES, a1, o1 + i).fma(q0, s10);
            s20 = FloatVector.fromArray(SPECIES, a2, o2 + i).fma(q0, s20);
            s30 = FloatVector.fromArray(SPECIES, a3, o3 + i).fma(q0, s30);
        }
        float r0 = s00.add(s01).reduceLanes(VectorOperators.ADD);
        float r1 = s10.add(s11).reduceLanes(VectorOperators.ADD);
        float r2 = s20.add(s21).reduceLanes(VectorOperators.ADD);
        float r3 = s30.add(s31).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            float x = q[qOffset + i];
            r0 += a0[o0 + i] * x;
            r1 += a1[o1 + i] * x;
            r2 += a2[o2 + i] * x;
            r3 += a3[o3 + i] * x;
        }
        out[outOffset] = r0;
        out[outOffset + 1] = r1;
        out[outOffset + 2] = r2;
        out[outOffset + 3] = r3;
    }

    @Override
    public String name() {
        return "simd-" + SPECIES.vectorBitSize() + "bit";
    }
}
