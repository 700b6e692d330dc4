package dev.viewfold.search;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;

/**
 * A hierarchical navigable small-world graph (Malkov and Yashunin, 2018) over the slots of a
 * {@link VectorSlab}, by inner product (the vectors are unit length, so this is cosine).
 *
 * <p>Nodes are slots, inserted in slot order; a level is drawn per node from a seeded generator, so
 * the same inserts give the same graph. One writer at a time, any number of searches beside it.
 * Level-0 links live in one int array ({@code [count, n1 .. nM0]} per node): the hot path of a
 * search reads them in order without chasing objects.
 */
final class HnswGraph {

    private final VectorSlab vectors;
    private final int m;
    private final int m0;
    private final int efConstruction;
    private final double levelFactor;
    private final SplittableRandom random;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ThreadLocal<Scratch> scratch;

    private int[] links0 = new int[0];
    private int[][] upper = new int[0][];
    private byte[] levels = new byte[0];
    private int size;
    private int entry = -1;
    private int maxLevel = -1;

    HnswGraph(VectorSlab vectors, int m, int efConstruction, long seed) {
        this.vectors = vectors;
        this.m = m;
        this.m0 = 2 * m;
        this.efConstruction = efConstruction;
        this.levelFactor = 1 / Math.log(m);
        this.random = new SplittableRandom(seed);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(this.m0));
    }

    /** Slots {@code [0, size)} are in the graph. */
    int size() {
        return size;
    }

    /** Adds the next slot ({@code size()}), which must already be in the vector slab. */
    void insertNext() {
        lock.writeLock().lock();
        try {
            int node = size;
            int level = (int) Math.min(Byte.MAX_VALUE, Math.floor(-Math.log(1 - random.nextDouble()) * levelFactor));
            grow(node + 1);
            levels[node] = (byte) level;
            upper[node] = level == 0 ? null : new int[level * (m + 1)];
            size = node + 1;
            if (entry < 0) {
                entry = node;
                maxLevel = level;
                return;
            }
            float[] q = vectors.copy(node);
            Scratch s = scratch.get();
            int ep = entry;
            for (int l = maxLevel; l > level; l--) {
                ep = greedy(q, ep, l, s);
            }
            for (int l = Math.min(level, maxLevel); l >= 0; l--) {
                ScoreHeap found = searchLayer(q, ep, efConstruction, l, null, s);
                int count = found.size();
                int[] nodes = new int[count];
                float[] sims = new float[count];
                // The results heap is a min-heap (negated keys): pop gives the worst first.
                for (int i = count - 1; i >= 0; i--) {
                    nodes[i] = found.topNode();
                    sims[i] = -found.topKey();
                    found.pop();
                }
                ep = nodes[0];
                // m links for a new node on every level (as hnswlib does); level 0 only holds up to 2m,
                // filled by the links others make back: fewer hops to check per step of a search.
                int[] chosen = selectNeighbours(nodes, sims, count, m);
                setLinks(node, l, chosen, chosen.length);
                for (int neighbour : chosen) {
                    link(neighbour, node, l);
                }
            }
            if (level > maxLevel) {
                maxLevel = level;
                entry = node;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The best {@code out.k} nodes for {@code query} that {@code accept} lets through (all when null);
     * {@code ef} bounds the beam: larger is slower and finds more of the true neighbours.
     */
    void search(float[] query, int ef, IntPredicate accept, TopK out) {
        lock.readLock().lock();
        try {
            if (entry < 0) {
                return;
            }
            Scratch s = scratch.get();
            int ep = entry;
            for (int l = maxLevel; l > 0; l--) {
                ep = greedy(query, ep, l, s);
            }
            ScoreHeap found = searchLayer(query, ep, ef, 0, accept, s);
            while (!found.isEmpty()) {
                out.offer(found.topNode(), -found.topKey());
                found.pop();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Walks downhill on one level: the entry point for the level below. */
    private int greedy(float[] q, int ep, int level, Scratch s) {
        float best = vectors.dot(ep, q);
        int[] batch = s.batch;
        float[] sims = s.sims;
        boolean moved = true;
        while (moved) {
            moved = false;
            int[] links = upper[ep];
            int base = (level - 1) * (m + 1);
            int n = links[base];
            System.arraycopy(links, base + 1, batch, 0, n);
            vectors.dots(batch, n, q, sims);
            for (int i = 0; i < n; i++) {
                if (sims[i] > best) {
                    best = sims[i];
                    ep = batch[i];
                    moved = true;
                }
            }
        }
        return ep;
    }

    /**
     * The beam search of one level. Rejected nodes are still walked through (they connect the
     * graph) but never enter the results. Returns the results as a min-heap (negated keys).
     */
    private ScoreHeap searchLayer(float[] q, int ep, int ef, int level, IntPredicate accept, Scratch s) {
        s.begin(size);
        ScoreHeap candidates = s.candidates;
        ScoreHeap results = s.results;
        float sim = vectors.dot(ep, q);
        s.visit(ep);
        candidates.push(ep, sim);
        if (accept == null || accept.test(ep)) {
            results.push(ep, -sim);
        }
        while (!candidates.isEmpty()) {
            float cs = candidates.topKey();
            int c = candidates.topNode();
            if (results.size() >= ef && cs < -results.topKey()) {
                break;
            }
            candidates.pop();
            int[] links;
            int base;
            if (level == 0) {
                links = links0;
                base = c * (m0 + 1);
            } else {
                links = upper[c];
                base = (level - 1) * (m + 1);
            }
            // The unvisited neighbours' inner products first, four vectors side by side (their
            // memory reads overlap), then the same decisions in the same order as one at a time.
            int[] batch = s.batch;
            float[] sims = s.sims;
            int fresh = 0;
            for (int i = 1, n = links[base]; i <= n; i++) {
                int neighbour = links[base + i];
                if (s.visit(neighbour)) {
                    batch[fresh++] = neighbour;
                }
            }
            vectors.dots(batch, fresh, q, sims);
            for (int i = 0; i < fresh; i++) {
                int neighbour = batch[i];
                float ns = sims[i];
                if (results.size() < ef || ns > -results.topKey()) {
                    candidates.push(neighbour, ns);
                    if (accept == null || accept.test(neighbour)) {
                        results.push(neighbour, -ns);
                        if (results.size() > ef) {
                            results.pop();
                        }
                    }
                }
            }
        }
        return results;
    }

    /**
     * The paper's heuristic: keep a candidate only if it is closer to the base than to every
     * neighbour kept so far, which spreads links across directions and keeps clusters connected.
     * {@code nodes} must be sorted best first.
     */
    private int[] selectNeighbours(int[] nodes, float[] sims, int count, int max) {
        int[] kept = new int[Math.min(count, max)];
        int k = 0;
        for (int i = 0; i < count && k < max; i++) {
            boolean good = true;
            for (int j = 0; j < k; j++) {
                if (vectors.dot(nodes[i], kept[j]) > sims[i]) {
                    good = false;
                    break;
                }
            }
            if (good) {
                kept[k++] = nodes[i];
            }
        }
        return Arrays.copyOf(kept, k);
    }

    /** Adds {@code node} to {@code from}'s links on a level, pruning with the heuristic when full. */
    private void link(int from, int node, int level) {
        int max = level == 0 ? m0 : m;
        int[] links = level == 0 ? links0 : upper[from];
        int base = level == 0 ? from * (m0 + 1) : (level - 1) * (m + 1);
        int count = links[base];
        if (count < max) {
            links[base + 1 + count] = node;
            links[base] = count + 1;
            return;
        }
        int[] nodes = new int[count + 1];
        float[] sims = new float[count + 1];
        for (int i = 0; i < count; i++) {
            nodes[i] = links[base + 1 + i];
        }
        nodes[count] = node;
        for (int i = 0; i <= count; i++) {
            sims[i] = vectors.dot(from, nodes[i]);
        }
        sortBestFirst(nodes, sims);
        int[] chosen = selectNeighbours(nodes, sims, nodes.length, max);
        setLinks(from, level, chosen, chosen.length);
    }

    private void setLinks(int node, int level, int[] chosen, int count) {
        int[] links = level == 0 ? links0 : upper[node];
        int base = level == 0 ? node * (m0 + 1) : (level - 1) * (m + 1);
        links[base] = count;
        System.arraycopy(chosen, 0, links, base + 1, count);
    }

    private static void sortBestFirst(int[] nodes, float[] sims) {
        for (int i = 1; i < nodes.length; i++) {
            int n = nodes[i];
            float s = sims[i];
            int j = i - 1;
            while (j >= 0 && sims[j] < s) {
                nodes[j + 1] = nodes[j];
                sims[j + 1] = sims[j];
                j--;
            }
            nodes[j + 1] = n;
            sims[j + 1] = s;
        }
    }

    private void grow(int nodes) {
        if (nodes <= levels.length) {
            return;
        }
        int capacity = Math.max(nodes, levels.length * 2);
        links0 = Arrays.copyOf(links0, capacity * (m0 + 1));
        upper = Arrays.copyOf(upper, capacity);
        levels = Arrays.copyOf(levels, capacity);
    }

    void write(DataOutputStream out) throws IOException {
        lock.readLock().lock();
        try {
            out.writeInt(m);
            out.writeInt(efConstruction);
            out.writeInt(size);
            out.writeInt(entry);
            out.writeInt(maxLevel);
            for (int node = 0; node < size; node++) {
                out.writeByte(levels[node]);
                int base = node * (m0 + 1);
                for (int i = 0; i <= links0[base]; i++) {
                    out.writeInt(links0[base + i]);
                }
                for (int l = 1; l <= levels[node]; l++) {
                    int ub = (l - 1) * (m + 1);
                    for (int i = 0; i <= upper[node][ub]; i++) {
                        out.writeInt(upper[node][ub + i]);
                    }
                }
            }
            // Where the level generator stands, so that inserts after a reload draw what they would have.
            out.writeLong(random.split().nextLong());
        } finally {
            lock.readLock().unlock();
        }
    }

    static HnswGraph read(DataInputStream in, VectorSlab vectors) throws IOException {
        int m = in.readInt();
        int efConstruction = in.readInt();
        int size = in.readInt();
        int entry = in.readInt();
        int maxLevel = in.readInt();
        HnswGraph g = new HnswGraph(vectors, m, efConstruction, 0);
        g.grow(size);
        for (int node = 0; node < size; node++) {
            int level = in.readByte();
            g.levels[node] = (byte) level;
            int base = node * (g.m0 + 1);
            int count = in.readInt();
            g.links0[base] = count;
            for (int i = 1; i <= count; i++) {
                g.links0[base + i] = in.readInt();
            }
            if (level > 0) {
                g.upper[node] = new int[level * (m + 1)];
                for (int l = 1; l <= level; l++) {
                    int ub = (l - 1) * (m + 1);
                    int c = in.readInt();
                    g.upper[node][ub] = c;
                    for (int i = 1; i <= c; i++) {
                        g.upper[node][ub + i] = in.readInt();
                    }
                }
            }
        }
        g.size = size;
        g.entry = entry;
        g.maxLevel = maxLevel;
        HnswGraph seeded = new HnswGraph(vectors, m, efConstruction, in.readLong());
        seeded.links0 = g.links0;
        seeded.upper = g.upper;
        seeded.levels = g.levels;
        seeded.size = size;
        seeded.entry = entry;
        seeded.maxLevel = maxLevel;
        return seeded;
    }

    /** Per-thread search state: visit marks by generation (no clearing), the two heaps, a node's neighbours. */
    private static final class Scratch {
        int[] marks = new int[0];
        int generation;
        final ScoreHeap candidates = new ScoreHeap(256);
        final ScoreHeap results = new ScoreHeap(256);
        /** One node's unvisited neighbours and their inner products (at most 2m, on level 0). */
        final int[] batch;
        final float[] sims;

        Scratch(int maxLinks) {
            batch = new int[maxLinks];
            sims = new float[maxLinks];
        }

        void begin(int nodes) {
            if (marks.length < nodes) {
                marks = Arrays.copyOf(marks, Math.max(nodes, marks.length * 2));
            }
            if (++generation == Integer.MAX_VALUE) {
                Arrays.fill(marks, 0);
                generation = 1;
            }
            candidates.clear();
            results.clear();
        }

        /** Marks the node; false when it was already visited. */
        boolean visit(int node) {
            if (marks[node] == generation) {
                return false;
            }
            marks[node] = generation;
            return true;
        }
    }
}
