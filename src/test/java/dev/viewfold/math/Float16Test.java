package dev.viewfold.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float16Test {

    static boolean isNaN(int h) {
        return (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
    }

    @Test
    void everyHalfComesBackAsItself() {
        for (int h = 0; h <= 0xFFFF; h++) {
            if (!isNaN(h)) {
                assertEquals((short) h, Float16.fromFloat(Float16.toFloat((short) h)), Integer.toHexString(h));
            }
        }
    }

    @Test
    void knownHalves() {
        assertEquals(1f, Float16.toFloat((short) 0x3C00));
        assertEquals(-2f, Float16.toFloat((short) 0xC000));
        assertEquals(65504f, Float16.toFloat((short) 0x7BFF));
        assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400), "smallest normal");
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001), "smallest subnormal");
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7C00));
        assertEquals(-0f, Float16.toFloat((short) 0x8000));
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
        assertEquals((short) 0xFC00, Float16.fromFloat(Float.NEGATIVE_INFINITY));
        assertEquals((short) 0x3555, Float16.fromFloat(1f / 3), "0.333251953125, the nearest half to a third");
    }

    /** Between two neighbouring halves a float goes to the nearer; exactly between them, to the even one. */
    @Test
    void roundsToNearestTiesToEven() {
        for (int h = 0; h < 0x7BFF; h++) {
            float low = Float16.toFloat((short) h);
            float high = Float16.toFloat((short) (h + 1));
            float middle = (low + high) / 2; // exact: a float has room for one more bit than a half
            assertEquals((short) ((h & 1) == 0 ? h : h + 1), Float16.fromFloat(middle), Integer.toHexString(h));
            assertEquals((short) h, Float16.fromFloat(Math.nextDown(middle)), Integer.toHexString(h));
            assertEquals((short) (h + 1), Float16.fromFloat(Math.nextUp(middle)), Integer.toHexString(h));
            assertEquals((short) (h | 0x8000), Float16.fromFloat(-Math.nextDown(middle)), "the sign is apart");
        }
    }

    @Test
    void theEdges() {
        assertEquals((short) 0x7BFF, Float16.fromFloat(65519.996f), "just below the tie with infinity");
        assertEquals((short) 0x7C00, Float16.fromFloat(65520f), "the tie goes to the even: infinity");
        assertEquals((short) 0x0000, Float16.fromFloat(0x1p-25f), "half the smallest subnormal ties to zero");
        assertEquals((short) 0x0001, Float16.fromFloat(Math.nextUp(0x1p-25f)));
        assertEquals((short) 0x0000, Float16.fromFloat(Float.MIN_VALUE), "float32 subnormals are far below");
        assertEquals((short) 0x0400, Float16.fromFloat(Math.nextDown(0x1p-14f)), "rounds up into the normals");
    }
}
