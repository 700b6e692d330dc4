package dev.viewfold.cluster.umap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A warm start that holds the rows laid out before: they stay exactly put, and new rows find their blob. */
class UmapHeldRowsTest {

    @Test
    void heldRowsStayWhereTheyWereAndNewRowsJoinTheirBlob() {
        int blobs = 6;
        Blobs data = Blobs.of(blobs, 120, 30, 5);
        float[][] x = data.x();
        int[] label = data.label();
        Umap umap = new Umap(Umap.Params.defaults().withMetric(Metric.EUCLIDEAN).withNComponents(5).withMinDist(0));
        Umap.Graph graph = umap.graph(x);
        float[][] before = umap.layout(graph);
        float[][] start = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            start[i] = i % 10 == 0 ? null : before[i]; // one row in ten is new
        }

        float[][] held = umap.layoutFrom(graph, start, 1 / 3.0, 0.25, true);
        for (int i = 0; i < x.length; i++) {
            if (start[i] != null) {
                assertArrayEquals(start[i], held[i], "row " + i + " was laid out before and must not move");
            }
        }
        for (int i = 0; i < x.length; i += 10) {
            int nearest = nearestCentre(held[i], before, start, label, blobs);
            assertTrue(nearest == label[i], "new row " + i + " of blob " + label[i] + " joined blob " + nearest);
        }

        // The usual warm start moves the old rows too: holding them is what keeps them.
        float[][] moved = umap.layoutFrom(graph, start, 1 / 3.0, 0.25, false);
        boolean anyMoved = false;
        for (int i = 1; i < x.length && !anyMoved; i++) {
            anyMoved = start[i] != null && !java.util.Arrays.equals(start[i], moved[i]);
        }
        assertTrue(anyMoved, "without holding, the old rows settle further");
    }

    /** The blob whose held rows' centre lies nearest to {@code p}. */
    private static int nearestCentre(float[] p, float[][] layout, float[][] start, int[] label, int blobs) {
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int b = 0; b < blobs; b++) {
            double[] c = new double[p.length];
            int count = 0;
            for (int i = 0; i < layout.length; i++) {
                if (label[i] == b && start[i] != null) {
                    for (int d = 0; d < p.length; d++) {
                        c[d] += layout[i][d];
                    }
                    count++;
                }
            }
            double d2 = 0;
            for (int d = 0; d < p.length; d++) {
                double diff = p[d] - c[d] / count;
                d2 += diff * diff;
            }
            if (d2 < bestD) {
                bestD = d2;
                best = b;
            }
        }
        return best;
    }
}
