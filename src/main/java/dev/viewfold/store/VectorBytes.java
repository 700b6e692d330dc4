package dev.viewfold.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vectors stored compactly: float32, little-endian, 4 bytes per dimension, no header. */
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
}
