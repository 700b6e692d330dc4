package dev.viewfold.cluster.hdbscan;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdjustedRandIndexTest {

    /** Twenty clusters of five; the second run calls two of them noise and groups ten of the first run's noise rows. */
    private static final int[] FIRST = new int[120];
    private static final int[] SECOND = new int[120];

    static {
        for (int i = 0; i < 120; i++) {
            FIRST[i] = i < 100 ? i / 5 : -1;
            SECOND[i] = i < 90 ? i / 5 : i < 110 ? -1 : 20;
        }
    }

    @Test
    void noiseCountsAsOneGroupAsScikitLearnCountsIt() {
        // sklearn.metrics.adjusted_rand_score on the same labels: 0.703816371681416
        assertEquals(0.703816371681416, AdjustedRandIndex.of(FIRST, SECOND), 1e-12);
    }

    @Test
    void noiseApartMakesEveryNoiseRowAGroupOfItsOwn() {
        // scikit-learn on the labels with each -1 replaced by a label of its own: 0.8423841059602649
        assertEquals(0.8423841059602649, AdjustedRandIndex.noiseApart(FIRST, SECOND), 1e-12);
    }

    @Test
    void identicalLabellingsAgreeFullyEitherWay() {
        assertEquals(1.0, AdjustedRandIndex.of(FIRST, FIRST.clone()), 1e-12);
        assertEquals(1.0, AdjustedRandIndex.noiseApart(FIRST, FIRST.clone()), 1e-12);
    }

    @Test
    void labellingsOfDifferentLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AdjustedRandIndex.noiseApart(new int[3], new int[4]));
    }
}
