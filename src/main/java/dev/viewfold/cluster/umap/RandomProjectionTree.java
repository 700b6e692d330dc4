package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * One random projection tree: split by the hyperplane halfway between two random points until a
 * leaf holds at most {@code leafSize} points. Points in one leaf are likely neighbours, which makes
 * a good start for NN-descent.
 */
final class RandomProjectionTree {

    private RandomProjectionTree() {
    }

    /** The leaves, each an array of point indices. */
    static List<int[]> leaves(float[][] points, int leafSize, Rng rng) {
        int n = points.length;
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        List<int[]> leaves = new ArrayList<>();
        // Explicit stack: a skewed split must not overflow the call stack.
        List<int[]> stack = new ArrayList<>();
        stack.add(all);
        int dim = points[0].length;
        float[] normal = new float[dim];
        while (!stack.isEmpty()) {
            int[] idx = stack.remove(stack.size() - 1);
            if (idx.length <= leafSize) {
                leaves.add(idx);
                continue;
            }
            int a = idx[rng.nextInt(idx.length)];
            int b = idx[rng.nextInt(idx.length)];
            float[] pa = points[a];
            float[] pb = points[b];
            float offset = 0;
            for (int k = 0; k < dim; k++) {
                normal[k] = pa[k] - pb[k];
                offset -= normal[k] * (pa[k] + pb[k]) / 2;
            }
            boolean[] left = new boolean[idx.length];
            int nLeft = 0;
            for (int t = 0; t < idx.length; t++) {
                float[] p = points[idx[t]];
                float margin = offset;
                for (int k = 0; k < dim; k++) {
                    margin += normal[k] * p[k];
                }
                // Ties (on the plane, or a == b) go to a random side.
                boolean side = margin == 0 ? (rng.nextLong() & 1) == 0 : margin > 0;
                left[t] = side;
                if (side) {
                    nLeft++;
                }
            }
            if (nLeft == 0 || nLeft == idx.length) {
                // Degenerate (duplicates, a == b): split in random halves so the tree still ends.
                nLeft = 0;
                for (int t = 0; t < idx.length; t++) {
                    left[t] = (rng.nextLong() & 1) == 0;
                    if (left[t]) {
                        nLeft++;
                    }
                }
                if (nLeft == 0 || nLeft == idx.length) {
                    nLeft = idx.length / 2;
                    for (int t = 0; t < idx.length; t++) {
                        left[t] = t < nLeft;
                    }
                }
            }
            int[] l = new int[nLeft];
            int[] r = new int[idx.length - nLeft];
            int li = 0;
            int ri = 0;
            for (int t = 0; t < idx.length; t++) {
                if (left[t]) {
                    l[li++] = idx[t];
                } else {
                    r[ri++] = idx[t];
                }
            }
            stack.add(r);
            stack.add(l);
        }
        return leaves;
    }
}
