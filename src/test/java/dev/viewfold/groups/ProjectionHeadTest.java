package dev.viewfold.groups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ProjectionHeadTest {

    private static ProjectionHead random(HeadKind kind, int in, int hidden, int out, long seed) {
        Random rnd = new Random(seed);
        int h = kind == HeadKind.LINEAR ? 0 : hidden;
        float[] p = new float[(int) ProjectionHead.parameterCount(kind, in, h, out)];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) rnd.nextGaussian();
        }
        return new ProjectionHead(kind, in, h, out, p);
    }

    @ParameterizedTest
    @EnumSource(HeadKind.class)
    void roundTripGivesIdenticalProjections(HeadKind kind) {
        ProjectionHead head = random(kind, 12, 6, 4, 1);
        byte[] bytes = head.toBytes();
        ProjectionHead back = ProjectionHead.fromBytes(bytes);
        assertEquals(kind, back.kind());
        assertEquals(12, back.inputDim());
        assertEquals(4, back.outputDim());
        assertArrayEquals(bytes, back.toBytes());
        assertEquals(head.digest(), back.digest());
        Random rnd = new Random(2);
        for (int i = 0; i < 20; i++) {
            float[] v = Synthetic.unit(Synthetic.gaussian(12, rnd));
            assertArrayEquals(head.project(v), back.project(v));
        }
    }

    @Test
    void projectReturnsANewUnitVectorAndLeavesTheInputAlone() {
        ProjectionHead head = random(HeadKind.MLP, 8, 16, 3, 3);
        float[] v = Synthetic.unit(Synthetic.gaussian(8, new Random(4)));
        float[] copy = v.clone();
        float[] a = head.project(v);
        float[] b = head.project(v);
        assertNotSame(a, b);
        assertArrayEquals(a, b);
        assertArrayEquals(copy, v);
        double norm = 0;
        for (float x : a) {
            norm += x * x;
        }
        assertEquals(1, norm, 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> head.project(new float[7]));
        assertEquals("this head takes vectors of 8 dimensions, not 7", e.getMessage());
    }

    @Test
    void linearHeadIsAffineMapThenNormalisation() {
        // W input-major: w[k·out + j]; here out = 2, in = 2: z = (x0 + 2·x1 + 0.5, −x0 + 0.25)
        float[] p = {1, -1, 2, 0, 0.5f, 0.25f};
        ProjectionHead head = new ProjectionHead(HeadKind.LINEAR, 2, 0, 2, p);
        float[] y = head.project(new float[] {1, 1});
        double zx = 3.5;
        double zy = -0.75;
        double n = Math.hypot(zx, zy);
        assertEquals(zx / n, y[0], 1e-6);
        assertEquals(zy / n, y[1], 1e-6);
    }

    @Test
    void concurrentProjectionsAgree() throws Exception {
        ProjectionHead head = random(HeadKind.MLP, 32, 64, 16, 5);
        Random rnd = new Random(6);
        float[][] inputs = new float[200][];
        float[][] expected = new float[200][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Synthetic.unit(Synthetic.gaussian(32, rnd));
            expected[i] = head.project(inputs[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int r = 0; r < 50; r++) {
                        for (int i = 0; i < inputs.length; i++) {
                            if (!Arrays.equals(expected[i], head.project(inputs[i]))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void digestIsTwelveHexCharactersOfTheBytes() {
        ProjectionHead head = random(HeadKind.LINEAR, 4, 0, 2, 7);
        assertTrue(head.digest().matches("[0-9a-f]{12}"), head.digest());
        assertTrue(!head.digest().equals(random(HeadKind.LINEAR, 4, 0, 2, 8).digest()));
    }

    @Test
    void wrongMagicIsRejected() {
        byte[] bytes = random(HeadKind.LINEAR, 4, 0, 2, 7).toBytes();
        bytes[0] = 'X';
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectionHead.fromBytes(bytes));
        assertEquals("not a projection head: the bytes start with 58464844, not the magic \"VFHD\"", e.getMessage());
    }

    @Test
    void otherVersionIsRejected() {
        byte[] bytes = random(HeadKind.LINEAR, 4, 0, 2, 7).toBytes();
        ByteBuffer.wrap(bytes).putInt(4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectionHead.fromBytes(bytes));
        assertEquals("projection head format version 2 is not supported (this build reads version 1)", e.getMessage());
    }

    @Test
    void truncatedBytesAreRejected() {
        byte[] bytes = random(HeadKind.MLP, 4, 6, 2, 7).toBytes();
        int size = bytes.length;
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> ProjectionHead.fromBytes(Arrays.copyOf(bytes, size - 3)));
        assertEquals("truncated projection head: " + (size - 3) + " bytes where " + size + " are expected",
                cut.getMessage());
        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> ProjectionHead.fromBytes(Arrays.copyOf(bytes, 12)));
        assertEquals("truncated projection head: 12 bytes, fewer than its 28-byte header", header.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> ProjectionHead.fromBytes(new byte[3]));
        assertTrue(tiny.getMessage().startsWith("not a projection head: 3 bytes"), tiny.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> ProjectionHead.fromBytes(Arrays.copyOf(bytes, size + 4)));
        assertEquals("corrupt projection head: 4 unexpected bytes after its " + size + " bytes", extra.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProjectionHead.fromBytes(null));
    }

    @Test
    void corruptHeaderAndWeightsAreRejected() {
        byte[] good = random(HeadKind.LINEAR, 4, 0, 2, 7).toBytes();
        byte[] kind = good.clone();
        ByteBuffer.wrap(kind).putInt(8, 9);
        assertEquals("unknown head kind code 9 (1 = LINEAR, 2 = MLP)",
                assertThrows(IllegalArgumentException.class, () -> ProjectionHead.fromBytes(kind)).getMessage());
        byte[] dims = good.clone();
        ByteBuffer.wrap(dims).putInt(12, 5);
        assertEquals("corrupt projection head: it declares 10 parameters where a LINEAR head of these dimensions has 12",
                assertThrows(IllegalArgumentException.class, () -> ProjectionHead.fromBytes(dims)).getMessage());
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(12, Integer.MAX_VALUE);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProjectionHead.fromBytes(huge)).getMessage()
                .contains("input dimension 2147483647 is outside"));
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).putFloat(28 + 4 * 3, Float.NaN);
        assertEquals("corrupt projection head: parameter 3 is NaN",
                assertThrows(IllegalArgumentException.class, () -> ProjectionHead.fromBytes(nan)).getMessage());
    }
}
