package dev.viewfold.classify;

import dev.viewfold.groups.Labelled;
import dev.viewfold.groups.Synthetic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearClassifierTest {

    static final int DIM = 24;
    static final int GROUPS = 10;

    /** Overlapping groups: some photos of one look like another's, so the classifier is sometimes unsure. */
    static List<Labelled> photos(int perGroup, long seed, String prefix) {
        float[][] centres = Synthetic.centres(DIM, GROUPS, 7);
        Random rnd = new Random(seed);
        List<Labelled> out = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            for (int i = 0; i < perGroup; i++) {
                out.add(Labelled.of(String.format("%s%02d-%03d", prefix, g, i), Synthetic.around(centres[g], 0.22, rnd),
                        String.format("g%02d", g)));
            }
        }
        return out;
    }

    static LinearClassifier build(List<Labelled> data, LinearSettings s) {
        boolean[] held = Calibration.heldOut(data, 0.25, 42);
        return LinearClassifier.build(data, held, s, LinearClassifierStore.rowsDigest(data, held, s));
    }

    @Test
    void sameRowsAndSeedGiveTheSameClassifierByteForByteAndItsStoredFormReadsBack() {
        List<Labelled> data = photos(20, 1, "p");
        LinearSettings s = LinearSettings.defaults(42);
        LinearClassifier a = build(data, s);
        LinearClassifier b = build(data, s);
        assertArrayEquals(a.toBytes(), b.toBytes());
        assertEquals(a.digest(), b.digest());

        LinearClassifier read = LinearClassifier.fromBytes(a.toBytes());
        assertEquals(a.digest(), read.digest());
        assertEquals(a.rowsDigest(), read.rowsDigest());
        for (Labelled q : photos(3, 9, "q")) {
            assertEquals(a.classify(q.vector()), read.classify(q.vector()));
        }

        // Another label on one row: another rows digest, so a stored classifier is not reused.
        List<Labelled> relabelled = new ArrayList<>(data);
        relabelled.set(0, Labelled.of(data.get(0).id(), data.get(0).vector(), "g01"));
        boolean[] held = Calibration.heldOut(relabelled, 0.25, 42);
        assertNotEquals(a.rowsDigest(), LinearClassifierStore.rowsDigest(relabelled, held, s));
    }

    /**
     * The cross-validation's folds run in parallel: the classifier (its bytes, so its version) must
     * not depend on how many threads ran them, and another seed is another fold split.
     */
    @Test
    void theThreadCountNeverChangesTheClassifierAndAnotherSeedIsAnotherVersion() throws Exception {
        List<Labelled> data = photos(20, 1, "p");
        LinearSettings s = LinearSettings.defaults(42);
        byte[] common = build(data, s).toBytes();
        for (int threads : new int[] {1, 3}) {
            var pool = new java.util.concurrent.ForkJoinPool(threads);
            try {
                byte[] bytes = pool.submit(() -> build(data, s).toBytes()).get();
                assertArrayEquals(common, bytes, threads + " threads");
            } finally {
                pool.shutdown();
            }
        }
        LinearSettings other = s.withFit(s.fit().withSeed(7));
        assertNotEquals(LinearClassifierStore.rowsDigest(data, Calibration.heldOut(data, 0.25, 42), s),
                LinearClassifierStore.rowsDigest(data, Calibration.heldOut(data, 0.25, 42), other),
                "the settings are part of the stored name");
        LinearClassifier read = LinearClassifier.fromBytes(common);
        assertArrayEquals(common, read.toBytes(), "read back, written again: the same bytes");
        assertEquals(1, java.nio.ByteBuffer.wrap(common, 4, 4).getInt(), "stored format version 1");
    }

    @Test
    void aStoredClassifierOfAnotherVersionOrCutShortIsRefusedWithTheReason() {
        byte[] bytes = build(photos(10, 1, "p"), LinearSettings.defaults(42)).toBytes();
        byte[] other = bytes.clone();
        other[7] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LinearClassifier.fromBytes(other)).getMessage()
                .contains("format version 9 is not supported"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LinearClassifier.fromBytes(Arrays.copyOf(bytes, bytes.length - 10))).getMessage()
                .contains("truncated"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LinearClassifier.fromBytes("hello".getBytes())).getMessage().contains("not a linear classifier"));
    }

    /**
     * Calibrated to reject at most 5% of known groups' photos: on new photos of those groups about
     * that share is answered "none", while photos of groups never labelled mostly are.
     */
    @Test
    void rejectsAboutTheStatedShareOfKnownGroupsAndMostPhotosOfOthers() {
        List<Labelled> data = photos(40, 1, "p");
        LinearClassifier c = build(data, LinearSettings.defaults(42).withRejectShare(0.05));
        assertFalse(c.model().multiLabel());
        int none = 0;
        int right = 0;
        List<Labelled> fresh = photos(60, 2, "n");
        for (Labelled q : fresh) {
            Classification r = c.classify(q.vector());
            assertTrue(r.groups().size() <= 1, "single-label data: never several groups");
            none += r.none() ? 1 : 0;
            right += !r.none() && q.labels().contains(r.groups().get(0)) ? 1 : 0;
        }
        double rejected = none / (double) fresh.size();
        assertTrue(rejected > 0.01 && rejected < 0.10, "known photos answered none: " + rejected);
        assertTrue(right / (double) fresh.size() > 0.8, "accuracy " + right / (double) fresh.size());
        // The held-out check counted the same way, on rows it was neither fitted nor calibrated on.
        assertEquals(10 * 10, c.heldOut().items());
        assertTrue(c.heldOut().none() < 0.12, "held-out none " + c.heldOut().none());

        int unseenNone = 0;
        Random rnd = new Random(5);
        for (int i = 0; i < 200; i++) {
            unseenNone += c.classify(Synthetic.around(Synthetic.unit(Synthetic.gaussian(DIM, rnd)), 0.22, rnd)).none()
                    ? 1 : 0;
        }
        assertTrue(unseenNone / 200.0 > 0.5, "photos of groups never labelled answered none: " + unseenNone / 200.0);

        LinearClassifier never = build(data, LinearSettings.defaults(42).withRejectShare(0));
        for (Labelled q : fresh) {
            assertFalse(never.classify(q.vector()).none(), "a share of 0 never rejects");
        }
    }

    @Test
    void theRejectionRejectsAtMostTheShareOfItsCalibrationScoresAndNothingForBeingUnlikeThem() {
        double[] p = {0.9, 0.2, 0.8, 0.3, 0.95, 0.6, 0.7, 0.99, 0.4, 0.85};
        double[] s = {0.9, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};
        Rejection r = Rejection.calibrate(p, s, 0.2); // two of ten: the two least confident
        int rejected = 0;
        for (int i = 0; i < p.length; i++) {
            rejected += r.rejects(p[i], s[i]) ? 1 : 0;
        }
        assertEquals(2, rejected);
        assertTrue(r.rejects(0.2, 0.9) && r.rejects(0.3, 0.9) && !r.rejects(0.4, 0.9));
        assertTrue(!r.rejects(0.9, 0.1) && r.rejects(0.9, 0.09), "only what is less like any group than all of them");
        assertEquals(1, count(Rejection.calibrate(p, null, 0.1), p));
        assertEquals(0, count(Rejection.calibrate(p, s, 0.05), p), "under one row's worth: no probability limit");
        assertEquals(Rejection.NEVER, Rejection.calibrate(p, s, 0));
    }

    private static int count(Rejection r, double[] p) {
        int n = 0;
        for (double v : p) {
            n += r.rejects(v, 1) ? 1 : 0;
        }
        return n;
    }

    @Test
    void multiLabelDataGetsOneVersusRestAndAnswersBothGroupsOfAPhotoBetweenThem() {
        List<Labelled> data = new ArrayList<>(photos(30, 1, "p"));
        float[][] centres = Synthetic.centres(DIM, GROUPS, 7);
        Random rnd = new Random(3);
        float[] mid = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            mid[j] = centres[0][j] + centres[1][j];
        }
        Synthetic.unit(mid);
        for (int i = 0; i < 30; i++) {
            data.add(new Labelled("both-" + i, Synthetic.around(mid, 0.1, rnd), Set.of("g00", "g01")));
        }
        LinearClassifier c = build(data, LinearSettings.defaults(42));
        assertTrue(c.model().multiLabel());
        Classification r = c.classify(Synthetic.around(mid, 0.05, rnd));
        assertEquals(Set.of("g00", "g01"), Set.copyOf(r.groups()));
        Classification single = c.classify(Synthetic.around(centres[5], 0.05, rnd));
        assertEquals(List.of("g05"), single.groups());
    }

    @Test
    void oneGroupOrGroupsOfOneCannotMakeALinearClassifier() {
        List<Labelled> one = photos(10, 1, "p").subList(0, 10);
        assertTrue(LinearClassifier.cannotBuild(one, new boolean[10]).contains("at least two groups"));
    }
}
