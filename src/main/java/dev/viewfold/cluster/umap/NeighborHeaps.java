package dev.viewfold.cluster.umap;

import java.util.Arrays;

/**
 * One bounded max-heap of candidate neighbours per point, in flat arrays (O(n·k)). The root holds
 * the worst kept distance, so "is this pair worth anything" is one comparison.
 */
final class NeighborHeaps {

    final int n;
    final int k;
    final int[] ids;
    final float[] dist;
    /** 1 while a neighbour is new (not yet used in a local join). */
    final byte[] fresh;

    NeighborHeaps(int n, int k) {
        this.n = n;
        this.k = k;
        this.ids = new int[n * k];
        this.dist = new float[n * k];
        this.fresh = new byte[n * k];
        Arrays.fill(ids, -1);
        Arrays.fill(dist, Float.POSITIVE_INFINITY);
    }

    float worst(int i) {
        return dist[i * k];
    }

    /** Keeps {@code id} if closer than the worst and not already there; true when kept. */
    boolean push(int i, int id, float d) {
        int base = i * k;
        if (!(d < dist[base])) {
            return false;
        }
        for (int j = 0; j < k; j++) {
            if (ids[base + j] == id) {
                return false;
            }
        }
        // Replace the root, then sift down.
        int pos = 0;
        while (true) {
            int left = 2 * pos + 1;
            if (left >= k) {
                break;
            }
            int right = left + 1;
            int child = right < k && dist[base + right] > dist[base + left] ? right : left;
            if (dist[base + child] <= d) {
                break;
            }
            ids[base + pos] = ids[base + child];
            dist[base + pos] = dist[base + child];
            fresh[base + pos] = fresh[base + child];
            pos = child;
        }
        ids[base + pos] = id;
        dist[base + pos] = d;
        fresh[base + pos] = 1;
        return true;
    }
}
