package dev.viewfold.cluster.hdbscan;

import dev.viewfold.math.UnionFind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Core distances and the Borůvka MST against brute force (O(n²), small n only). */
class BoruvkaMstTest {

    @Test
    void matchesBruteForceOnRandomGridAndDuplicatePoints() {
        Random random = new Random(3);
        for (int trial = 0; trial < 12; trial++) {
            int n = 50 + random.nextInt(700);
            int dim = 1 + random.nextInt(6);
            int k = 1 + random.nextInt(15);
            double[] points = new double[n * dim];
            for (int i = 0; i < points.length; i++) {
                // Trials alternate continuous values with a coarse grid (many ties and duplicates).
                points[i] = trial % 2 == 0 ? random.nextGaussian() * (1 + i % 3) : random.nextInt(6);
            }
            KdTree tree = new KdTree(points, n, dim);
            double[] coreSq = CoreDistances.squared(tree, Math.min(k, n - 1));
            double[] core = new double[n];
            for (int i = 0; i < n; i++) {
                core[tree.original[i]] = Math.sqrt(coreSq[i]);
            }
            double[] bruteCore = bruteCore(points, n, dim, Math.min(k, n - 1));
            for (int i = 0; i < n; i++) {
                assertEquals(bruteCore[i], core[i], 1e-9, "core distance of point " + i);
            }
            BoruvkaMst.Edges mst = BoruvkaMst.of(tree, coreSq);
            assertEquals(n - 1, mst.weight().length);
            double[] ours = mst.weight().clone();
            double[] prim = primWeights(points, n, dim, bruteCore);
            Arrays.sort(ours);
            Arrays.sort(prim);
            for (int e = 0; e < n - 1; e++) {
                assertEquals(prim[e], ours[e], 1e-9, "trial " + trial + " edge " + e);
            }
            UnionFind spans = new UnionFind(n);
            for (int e = 0; e < n - 1; e++) {
                spans.union(mst.a()[e], mst.b()[e]);
            }
            for (int i = 1; i < n; i++) {
                assertEquals(spans.find(0), spans.find(i), "the tree spans every point");
            }
        }
    }

    private static double dist(double[] p, int dim, int i, int j) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            double x = p[i * dim + d] - p[j * dim + d];
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double[] bruteCore(double[] p, int n, int dim, int k) {
        double[] core = new double[n];
        for (int i = 0; i < n; i++) {
            double[] d = new double[n - 1];
            for (int j = 0, c = 0; j < n; j++) {
                if (j != i) {
                    d[c++] = dist(p, dim, i, j);
                }
            }
            Arrays.sort(d);
            core[i] = d[k - 1];
        }
        return core;
    }

    private static double[] primWeights(double[] p, int n, int dim, double[] core) {
        boolean[] in = new boolean[n];
        double[] best = new double[n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        double[] weights = new double[n - 1];
        int current = 0;
        in[0] = true;
        for (int e = 0; e < n - 1; e++) {
            int next = -1;
            for (int j = 0; j < n; j++) {
                if (!in[j]) {
                    double w = Math.max(Math.max(core[current], core[j]), dist(p, dim, current, j));
                    best[j] = Math.min(best[j], w);
                    if (next < 0 || best[j] < best[next]) {
                        next = j;
                    }
                }
            }
            weights[e] = best[next];
            in[next] = true;
            current = next;
        }
        return weights;
    }
}
