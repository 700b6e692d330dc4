package dev.viewfold.aggregate;

import dev.viewfold.math.Vectors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsensusTest {

    @Test
    void theGeometricMedianLeavesTheViewItStartsOn() {
        // Three orthogonal views: by symmetry the median is their centre, never one of them.
        List<float[]> views = List.of(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1});
        float[] median = Consensus.geometricMedian(views, views.get(Consensus.medoid(views)));
        float s = (float) (1 / Math.sqrt(3));
        assertArrayEquals(new float[] {s, s, s}, median, 1e-4f);
    }

    @Test
    void theGeometricMedianIsCloserToTheViewsThanTheirMedoid() {
        SyntheticViews gen = new SyntheticViews(11, 64);
        List<float[]> views = new ArrayList<>(Consensus.vectors(gen.views("v", gen.direction(), 9, 0.08)));
        float[] medoid = views.get(Consensus.medoid(views));
        float[] median = Consensus.geometricMedian(views, medoid);
        double toMedoid = 0;
        double toMedian = 0;
        for (float[] v : views) {
            toMedoid += 1 - Vectors.dot(v, medoid);
            toMedian += 1 - Vectors.dot(v, median);
        }
        // The medoid's own distance of 0 is in its sum, and the median still wins by far.
        assertTrue(toMedian < 0.7 * toMedoid, toMedian + " vs " + toMedoid);
    }

    @Test
    void aViewHeldByMostOfThemIsTheMedian() {
        float[] x = {1, 0, 0};
        List<float[]> views = List.of(x, x.clone(), x.clone(), new float[] {0, 1, 0}, new float[] {0, 0, 1});
        assertArrayEquals(x, Consensus.geometricMedian(views, x), 1e-6f);
        assertArrayEquals(x, Consensus.geometricMedian(views, views.get(3)), 1e-3f);
    }

    @Test
    void dispersionIsTheMedianDistanceOfTheKeptViews() {
        float[] agreement = {0.9f, 0.8f, 0.7f, 0.1f};
        assertEquals(0.2, Consensus.dispersion(agreement, new boolean[] {false, false, false, true}), 1e-6);
    }
}
