package dev.viewfold.cluster.umap;

import dev.viewfold.math.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Approximate k nearest neighbours by NN-descent (Dong et al. 2011, as pynndescent does it):
 * start from the leaves of a random projection forest, then repeatedly compare each point's
 * candidate neighbours with one another ("a neighbour of a neighbour is likely a neighbour").
 * Memory O(n·k). Deterministic for a seed and the same for any thread count: candidates are chosen
 * by a hash of (seed, iteration, pair), every parallel step writes only its own chunk or the heaps
 * of the points it owns, and updates reach each heap in one fixed order.
 */
final class NnDescent {

    private static final int POINTS_PER_CHUNK = 512;
    private static final int POINTS_PER_BLOCK = 16384;
    private static final double DELTA = 0.001;

    private final float[][] points;
    private final int n;
    private final int m;
    private final long seed;
    private final Chunks chunks;
    private final NeighborHeaps heaps;

    private NnDescent(float[][] points, int k, long seed, Chunks chunks) {
        this.points = points;
        this.n = points.length;
        this.m = k - 1;
        this.seed = seed;
        this.chunks = chunks;
        this.heaps = new NeighborHeaps(n, m);
    }

    /** {@code k} neighbours including the point itself; needs {@code k <= n}. */
    static KnnGraph of(float[][] points, int k, long seed, Chunks chunks, DoubleConsumer progress) {
        NnDescent nd = new NnDescent(points, k, seed, chunks);
        int trees = Math.min(32, 4 + (int) Math.round(Math.sqrt(points.length) / 40.0));
        nd.initFromForest(trees, Math.max(10, k));
        nd.fillRandomly();
        progress.accept(0.2);
        int iterations = Math.max(5, (int) Math.round(Math.log(points.length) / Math.log(2)));
        int maxCandidates = Math.min(60, k);
        for (int it = 0; it < iterations; it++) {
            int changed = nd.iterate(it, maxCandidates);
            progress.accept(0.2 + 0.8 * (it + 1) / iterations);
            if (changed <= DELTA * nd.m * points.length) {
                break;
            }
        }
        progress.accept(1.0);
        return KnnGraph.fromHeaps(nd.heaps);
    }

    /** Range of points that worker {@code part} of {@code parts} owns. */
    private int lo(int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    private void initFromForest(int trees, int leafSize) {
        List<List<int[]>> forest = new ArrayList<>();
        for (int t = 0; t < trees; t++) {
            forest.add(null);
        }
        chunks.run(trees, t -> forest.set(t, RandomProjectionTree.leaves(points, leafSize, Rng.of(seed, 1000 + t))));
        int parts = chunks.threads();
        chunks.run(parts, part -> {
            int lo = lo(part, parts);
            int hi = lo(part + 1, parts);
            for (List<int[]> leaves : forest) {
                for (int[] leaf : leaves) {
                    for (int p : leaf) {
                        if (p < lo || p >= hi) {
                            continue;
                        }
                        for (int q : leaf) {
                            if (q != p) {
                                float d = SquaredEuclidean.of(points[p], points[q]);
                                if (d < heaps.worst(p)) {
                                    heaps.push(p, q, d);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** Points whose heap is not full yet (tiny leaves) get random neighbours. */
    private void fillRandomly() {
        chunks.run(Chunks.count(n, POINTS_PER_CHUNK), c -> {
            for (int i = c * POINTS_PER_CHUNK, end = Math.min(n, i + POINTS_PER_CHUNK); i < end; i++) {
                if (heaps.ids[i * m] >= 0) {
                    continue; // the root is filled only once all slots are
                }
                Rng rng = Rng.of(seed, 7_000_000_000L + i);
                for (int tries = 0; tries < 4 * m + 16 && heaps.ids[i * m] < 0; tries++) {
                    int j = rng.nextInt(n);
                    if (j != i) {
                        heaps.push(i, j, SquaredEuclidean.of(points[i], points[j]));
                    }
                }
            }
        });
    }

    /** One round of candidate sampling and local joins; returns how many heap entries changed. */
    private int iterate(int iteration, int maxCandidates) {
        CandidateHeaps fresh = new CandidateHeaps(n, maxCandidates);
        CandidateHeaps old = new CandidateHeaps(n, maxCandidates);
        int parts = chunks.threads();
        long salt = Rng.mix(seed ^ (0x5DEECE66DL * (iteration + 1)));
        chunks.run(parts, part -> {
            int lo = lo(part, parts);
            int hi = lo(part + 1, parts);
            for (int i = 0; i < n; i++) {
                int base = i * m;
                for (int s = 0; s < m; s++) {
                    int j = heaps.ids[base + s];
                    if (j < 0) {
                        continue;
                    }
                    long priority = Rng.mix(salt ^ ((long) Math.min(i, j) << 32 | Math.max(i, j)));
                    CandidateHeaps target = heaps.fresh[base + s] != 0 ? fresh : old;
                    if (i >= lo && i < hi) {
                        target.push(i, j, priority);
                    }
                    if (j >= lo && j < hi) {
                        target.push(j, i, priority);
                    }
                }
            }
        });
        // Sampled new neighbours become old: each pair is joined once as "new".
        chunks.run(Chunks.count(n, POINTS_PER_CHUNK), c -> {
            for (int i = c * POINTS_PER_CHUNK, end = Math.min(n, i + POINTS_PER_CHUNK); i < end; i++) {
                int base = i * m;
                for (int s = 0; s < m; s++) {
                    if (heaps.fresh[base + s] != 0 && fresh.contains(i, heaps.ids[base + s])) {
                        heaps.fresh[base + s] = 0;
                    }
                }
            }
        });
        int changed = 0;
        for (int blockStart = 0; blockStart < n; blockStart += POINTS_PER_BLOCK) {
            int blockEnd = Math.min(n, blockStart + POINTS_PER_BLOCK);
            int nChunks = Chunks.count(blockEnd - blockStart, POINTS_PER_CHUNK);
            Updates[] updates = new Updates[nChunks];
            int start = blockStart;
            chunks.run(nChunks, c -> updates[c] = join(fresh, old, start + c * POINTS_PER_CHUNK,
                    Math.min(blockEnd, start + (c + 1) * POINTS_PER_CHUNK)));
            int[] counts = new int[parts];
            chunks.run(parts, part -> {
                int lo = lo(part, parts);
                int hi = lo(part + 1, parts);
                int count = 0;
                for (Updates u : updates) {
                    for (int t = 0; t < u.size; t++) {
                        int p = u.p[t];
                        int q = u.q[t];
                        if (p >= lo && p < hi && heaps.push(p, q, u.d[t])) {
                            count++;
                        }
                        if (q >= lo && q < hi && heaps.push(q, p, u.d[t])) {
                            count++;
                        }
                    }
                }
                counts[part] = count;
            });
            for (int c : counts) {
                changed += c;
            }
        }
        return changed;
    }

    /** Compares candidate pairs of points [from, to): new × new and new × old. Reads heaps only. */
    private Updates join(CandidateHeaps fresh, CandidateHeaps old, int from, int to) {
        Updates u = new Updates();
        int c = fresh.capacity;
        for (int i = from; i < to; i++) {
            int nf = fresh.size[i];
            int no = old.size[i];
            for (int a = 0; a < nf; a++) {
                int p = fresh.ids[i * c + a];
                float[] pp = points[p];
                float wp = heaps.worst(p);
                for (int b = a + 1; b < nf; b++) {
                    int q = fresh.ids[i * c + b];
                    float d = SquaredEuclidean.of(pp, points[q]);
                    if (d < wp || d < heaps.worst(q)) {
                        u.add(p, q, d);
                    }
                }
                for (int b = 0; b < no; b++) {
                    int q = old.ids[i * c + b];
                    if (q == p) {
                        continue;
                    }
                    float d = SquaredEuclidean.of(pp, points[q]);
                    if (d < wp || d < heaps.worst(q)) {
                        u.add(p, q, d);
                    }
                }
            }
        }
        return u;
    }

    /** Proposed pairs with their distance, in the order found. */
    private static final class Updates {
        int[] p = new int[1024];
        int[] q = new int[1024];
        float[] d = new float[1024];
        int size;

        void add(int a, int b, float dist) {
            if (size == p.length) {
                p = Arrays.copyOf(p, size * 2);
                q = Arrays.copyOf(q, size * 2);
                d = Arrays.copyOf(d, size * 2);
            }
            p[size] = a;
            q[size] = b;
            d[size] = dist;
            size++;
        }
    }

    /** Per point, up to {@code capacity} distinct candidates with the smallest priorities. */
    private static final class CandidateHeaps {
        final int capacity;
        final int[] ids;
        final long[] priority;
        final int[] size;

        CandidateHeaps(int n, int capacity) {
            this.capacity = capacity;
            this.ids = new int[n * capacity];
            this.priority = new long[n * capacity];
            this.size = new int[n];
        }

        boolean contains(int i, int id) {
            int base = i * capacity;
            for (int s = 0; s < size[i]; s++) {
                if (ids[base + s] == id) {
                    return true;
                }
            }
            return false;
        }

        void push(int i, int id, long pr) {
            int base = i * capacity;
            int sz = size[i];
            if (sz == capacity && pr >= priority[base]) {
                return;
            }
            if (contains(i, id)) {
                return;
            }
            if (sz < capacity) {
                int pos = sz;
                while (pos > 0) {
                    int parent = (pos - 1) / 2;
                    if (priority[base + parent] >= pr) {
                        break;
                    }
                    ids[base + pos] = ids[base + parent];
                    priority[base + pos] = priority[base + parent];
                    pos = parent;
                }
                ids[base + pos] = id;
                priority[base + pos] = pr;
                size[i] = sz + 1;
                return;
            }
            int pos = 0;
            while (true) {
                int left = 2 * pos + 1;
                if (left >= capacity) {
                    break;
                }
                int right = left + 1;
                int child = right < capacity && priority[base + right] > priority[base + left] ? right : left;
                if (priority[base + child] <= pr) {
                    break;
                }
                ids[base + pos] = ids[base + child];
                priority[base + pos] = priority[base + child];
                pos = child;
            }
            ids[base + pos] = id;
            priority[base + pos] = pr;
        }
    }
}
