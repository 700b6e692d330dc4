package dev.viewfold.math;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DotKernelTest {

    /** The graph ranks by dot4's values where it used to rank by dot's: they must be the same bits. */
    @Test
    void fourAtOnceEqualsOneAtATimeBitForBit() {
        SplittableRandom random = new SplittableRandom(3);
        for (DotKernel kernel : List.of(new SimdDot(), new ScalarDot(), DotKernels.best())) {
            for (int length : new int[] {1, 7, 16, 31, 33, 100, 512, 1280, 1283}) {
                float[] data = new float[8 * length + 11];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) random.nextGaussian();
                }
                float[] q = new float[length + 3];
                for (int i = 0; i < q.length; i++) {
                    q[i] = (float) random.nextGaussian();
                }
                int[] offsets = {5, 2 * length + 1, length + 9, 6 * length};
                float[] out = new float[6];
                kernel.dot4(data, offsets[0], data, offsets[1], data, offsets[2], data, offsets[3], q, 3, length, out, 1);
                for (int j = 0; j < 4; j++) {
                    float one = kernel.dot(data, offsets[j], q, 3, length);
                    assertEquals(Float.floatToIntBits(one), Float.floatToIntBits(out[1 + j]),
                            kernel.name() + " length " + length + " run " + j);
                }
            }
        }
    }
}
