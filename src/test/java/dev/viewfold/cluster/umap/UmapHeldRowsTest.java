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
        for (int dim : new int[] {2, 5}) { // the 2-d map and the 5-d clustering layout take separate paths
            Umap umap = new Umap(Umap.Params.defaults().withMetric(Metric.EUCLIDEAN).withNComponents(dim).withMinDist(0));
            Umap.Graph graph = umap.graph(x);
            float[][] before = umap.layout(graph);
            float[][] start = new float[x.length][];
            for (int i = 0; i < x.length; i++) {
                start[i] = i % 10 == 0 ? null : before[i]; // one row in ten is new
            }

            float[][] placed = umap.layoutFrom(graph, start, 0, 0.25, true); // new rows among their neighbours
            float[][] held = umap.layoutFrom(graph, start, 1 / 3.0, 0.25, true);
            int newMoved = 0;
            for (int i = 0; i < x.length; i++) {
                if (start[i] != null) {
                    assertArrayEquals(start[i], held[i], dim + "-d: row " + i + " was laid out before and must not move");
                } else {
                    int nearest = nearestCentre(held[i], before, start, label, blobs);
                    assertTrue(nearest == label[i], dim + "-d: new row " + i + " of blob " + label[i] + " joined blob " + nearest);
                    newMoved += distance(placed[i], held[i]) > 0.01 ? 1 : 0;
                }
            }
            assertTrue(newMoved > x.length / 20, dim + "-d: the new rows are laid out, not left where they started: " + newMoved);

            // The usual warm start moves the old rows too (by more than its start's 1e-3 jitter).
            float[][] moved = umap.layoutFrom(graph, start, 1 / 3.0, 0.25, false);
            int oldMoved = 0;
            for (int i = 0; i < x.length; i++) {
                oldMoved += start[i] != null && distance(start[i], moved[i]) > 0.01 ? 1 : 0;
            }
            assertTrue(oldMoved > x.length / 2, dim + "-d: without holding, the old rows settle further: " + oldMoved);
        }
    }

    private static double distance(float[] a, float[] b) {
        double d2 = 0;
        for (int d = 0; d < a.length; d++) {
            d2 += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return Math.sqrt(d2);
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
