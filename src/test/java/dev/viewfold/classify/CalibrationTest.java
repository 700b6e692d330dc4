package dev.viewfold.classify;

import dev.viewfold.groups.Synthetic;
import dev.viewfold.groups.Labelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void thresholdMaximisesF1AndSitsMidwayToTheNextLowerScore() {
        // P = 3. Thresholds at each score: 0.9 → F1 2·1/(1+0+3) = .5; 0.8 → 4/5 = .8; 0.6 → 4/6;
        // 0.5 → 6/7 ≈ .857 (best); 0.1 → 6/8. Midway from 0.5 to 0.1: 0.3.
        float[] score = {0.6f, 0.9f, 0.1f, 0.5f, 0.8f};
        boolean[] positive = {false, true, false, true, true};
        assertEquals(0.3f, Calibration.bestF1Threshold(score, positive, 5), 1e-6);
    }

    @Test
    void tiesGoToTheLowerThreshold() {
        // P = 2. 0.9 → 2/3; 0.8 → 2/4; 0.7 → 2/5; 0.6 → 4/6 = 2/3 (tie with 0.9: the lower wins); 0.1 → 4/7.
        float[] score = {0.9f, 0.8f, 0.7f, 0.6f, 0.1f};
        boolean[] positive = {true, false, false, true, false};
        assertEquals(0.35f, Calibration.bestF1Threshold(score, positive, 5), 1e-6);
    }

    @Test
    void lowestScoreIsKeptAsIsWhenNothingLiesBelow() {
        float[] score = {0.4f, 0.7f};
        boolean[] positive = {true, true};
        assertEquals(0.4f, Calibration.bestF1Threshold(score, positive, 2), 0);
    }

    @Test
    void groupsWithoutHeldOutItemsFallBackToTheMedian() {
        List<Labelled> data = new ArrayList<>(Synthetic.separated(16, 4, 8, 0.05, 1));
        data.add(Labelled.of("solo", Synthetic.unit(Synthetic.gaussian(16, new java.util.Random(5))), "solo"));
        CalibratedClassifier c = Calibration.calibrate(data, ClassifierKind.PROTOTYPE, 1, 0.25, 2);
        assertEquals(4, c.thresholds().perGroup().size());
        assertFalse(c.thresholds().perGroup().containsKey("solo"));
        float[] t = new float[4];
        int i = 0;
        for (float x : c.thresholds().perGroup().values()) {
            t[i++] = x;
        }
        java.util.Arrays.sort(t);
        assertEquals((t[1] + t[2]) / 2, c.thresholds().fallback(), 1e-6);
        assertEquals(c.thresholds().fallback(), c.thresholds().of("solo"), 0);
        assertEquals(5, c.classifier().groups().size()); // refitted on everything, solo included
        assertEquals(4 * 2, c.heldOutItems());
    }

    @Test
    void sameSeedSameThresholds() {
        List<Labelled> data = Synthetic.separated(16, 5, 10, 0.3, 1);
        assertEquals(Calibration.calibrate(data, ClassifierKind.KNN, 3, 0.3, 8).thresholds(),
                Calibration.calibrate(data, ClassifierKind.KNN, 3, 0.3, 8).thresholds());
    }

    @Test
    void badArgumentsAreRejected() {
        List<Labelled> singles = Synthetic.separated(4, 3, 1, 0.05, 1);
        assertEquals("calibration needs a group with 2 or more items to hold some out; every one of the 3 groups has "
                + "a single item", assertThrows(IllegalArgumentException.class,
                        () -> Calibration.calibrate(singles, ClassifierKind.KNN, 1, 0.25, 1)).getMessage());
        assertEquals("heldOutFraction must be in (0, 1), not 1.0", assertThrows(IllegalArgumentException.class,
                () -> Calibration.calibrate(singles, ClassifierKind.KNN, 1, 1.0, 1)).getMessage());
    }
}
