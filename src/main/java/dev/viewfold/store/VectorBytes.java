package dev.viewfold.store;

import dev.viewfold.math.Float16;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Vectors stored compactly, little-endian, no header: float32 (4 bytes per dimension, exact) or
 * float16 (2 bytes, each component rounded to the nearest half: see {@link Float16}).
 */
public final class VectorBytes {

    private VectorBytes() {
    }

    public static byte[] encode(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        return buf.array();
    }

    public static float[] decode(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("vector blob of " + bytes.length + " bytes is not a whole number of float32");
        }
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /** Whether every component has a finite half: an embedding's do, whatever its norm within ±{@value Float16#MAX}. */
    public static boolean fitsFloat16(float[] vector) {
        for (float x : vector) {
            if (!(Math.abs(x) <= Float16.MAX)) { // NaN too
                return false;
            }
        }
        return true;
    }

    public static byte[] encodeFloat16(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : vector) {
            buf.putShort(Float16.fromFloat(x));
        }
        return buf.array();
    }

    public static float[] decodeFloat16(byte[] bytes) {
        if (bytes.length % 2 != 0) {
            throw new IllegalArgumentException("vector blob of " + bytes.length + " bytes is not a whole number of float16");
        }
        float[] v = new float[bytes.length / 2];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            v[i] = Float16.toFloat(buf.getShort());
        }
        return v;
    }

    /** The vector a float16 store gives back for this one. */
    public static float[] roundToFloat16(float[] vector) {
        float[] v = new float[vector.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float16.round(vector[i]);
        }
        return v;
    }
}
