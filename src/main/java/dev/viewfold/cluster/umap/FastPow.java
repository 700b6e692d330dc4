package dev.viewfold.cluster.umap;

/**
 * x^b for the SGD's 1/(1 + a·d^(2b)) at a few ns instead of Math.pow's tens: log2 and exp2 from
 * the float's exponent plus short series (relative error about 1e-5, far under SGD noise). Plain
 * float arithmetic, so the result is the same on every JVM.
 */
final class FastPow {

    private static final float LOG2E_TIMES_2 = (float) (2 / Math.log(2));
    private static final float LN2 = (float) Math.log(2);
    private static final int SQRT2_MANTISSA = 0x3504F3; // mantissa bits of √2

    private FastPow() {
    }

    /** x^b for x &gt; 0. */
    static float pow(float x, float b) {
        if (x < Float.MIN_NORMAL) {
            return (float) Math.pow(x, b);
        }
        return exp2(b * log2(x));
    }

    static float log2(float x) {
        int bits = Float.floatToRawIntBits(x);
        int e = (bits >>> 23) - 127;
        int mant = bits & 0x007FFFFF;
        // Mantissa in [√½, √2): keeps s = (m−1)/(m+1) within ±0.172. Branch-free: the test is a
        // coin flip, and a mispredicted branch would cost more than the rest of the function.
        int up = (SQRT2_MANTISSA - mant) >>> 31;
        mant |= 0x3F800000 - (up << 23);
        e += up;
        float m = Float.intBitsToFloat(mant);
        float s = (m - 1f) / (m + 1f);
        float s2 = s * s;
        // 2·atanh(s) = ln m
        float atanh = s * (1f + s2 * (1f / 3f + s2 * (1f / 5f)));
        return e + LOG2E_TIMES_2 * atanh;
    }

    static float exp2(float y) {
        if (y > 127f) {
            return Float.MAX_VALUE;
        }
        if (y < -126f) {
            return 0f;
        }
        int i = (int) (y + 128.5f) - 128; // round to nearest; y + 128.5 > 0, so the cast floors
        float z = (y - i) * LN2; // |z| ≤ 0.347
        float p = 1f + z * (1f + z * (0.5f + z * (1f / 6f + z * (1f / 24f + z * (1f / 120f)))));
        return p * Float.intBitsToFloat((i + 127) << 23);
    }
}
