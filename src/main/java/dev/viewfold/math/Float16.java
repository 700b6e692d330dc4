package dev.viewfold.math;

/**
 * IEEE 754 binary16 ("half") conversions, for Java 17 (which lacks {@code Float.floatToFloat16}).
 * A half keeps 11 significant bits: a float rounds to the nearest half, ties to even, so it
 * moves by at most 2<sup>-11</sup> of itself (below 2<sup>-14</sup> in magnitude, where halves are
 * subnormal, by at most 2<sup>-25</sup>). Beyond {@value #MAX} it overflows to infinity.
 */
public final class Float16 {

    /** The largest finite half. */
    public static final float MAX = 65504f;

    private Float16() {
    }

    /** The nearest half (ties to even), as its 16 bits. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;
        if (exponent == 0xFF) { // infinity, or NaN (kept quiet and non-zero)
            return (short) (sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) { // a subnormal half, or zero
            if (e < -10) {
                return (short) sign;
            }
            return (short) (sign | roundShift(mantissa | 0x80_0000, 14 - e));
        }
        // a carry out of the mantissa moves to the next exponent, and from the largest to infinity: both right
        return (short) (sign | ((e << 10) + roundShift(mantissa, 13)));
    }

    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** The float a half stores in place of {@code f}. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }

    /** {@code value >> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        return rest > halfway || (rest == halfway && (kept & 1) == 1) ? kept + 1 : kept;
    }
}
