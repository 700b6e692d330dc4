package dev.viewfold.search.hnsw;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Searches an {@link OnHeapHnswGraph} by inner product (the vectors are unit length, so this is
 * cosine): a greedy walk down the upper levels, then a beam of width {@code ef} on level 0. Nodes a
 * filter rejects are still walked through (they connect the graph) but never enter the results.
 * Thread-safe: each thread keeps its own visit marks and heaps.
 */
public final class HnswGraphSearcher {

    private final OnHeapHnswGraph graph;
    private final VectorSlab vectors;
    private final ThreadLocal<Scratch> scratch;

    public HnswGraphSearcher(OnHeapHnswGraph graph, VectorSlab vectors) {
        this.graph = graph;
        this.vectors = vectors;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(graph.m0));
    }

    /**
     * Offers the best nodes for {@code query} that {@code accept} lets through (all when null) to
     * {@code out}; {@code ef} bounds the beam: larger is slower and finds more of the true neighbours.
     */
    public void search(float[] query, int ef, IntPredicate accept, TopK out) {
        graph.lock.readLock().lock();
        try {
            if (graph.entry < 0) {
                return;
            }
            int ep = graph.entry;
            for (int l = graph.maxLevel; l > 0; l--) {
                ep = greedy(query, ep, l);
            }
            ScoreHeap found = searchLayer(query, ep, ef, 0, accept);
            while (!found.isEmpty()) {
                out.offer(found.topNode(), -found.topKey());
                found.pop();
            }
        } finally {
            graph.lock.readLock().unlock();
        }
    }

    /** Walks downhill on one level: the entry point for the level below. The caller holds a graph lock. */
    int greedy(float[] q, int ep, int level) {
        Scratch s = scratch.get();
        float best = vectors.dot(ep, q);
        int[] batch = s.batch;
        float[] sims = s.sims;
        boolean moved = true;
        while (moved) {
            moved = false;
            int[] links = graph.upper[ep];
            int base = (level - 1) * (graph.m + 1);
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
     * The beam search of one level. Returns the results as a min-heap (negated keys), valid until
     * this thread's next search. The caller holds a graph lock.
     */
    ScoreHeap searchLayer(float[] q, int ep, int ef, int level, IntPredicate accept) {
        Scratch s = scratch.get();
        s.begin(graph.size);
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
            int[] links = graph.linkArray(c, level);
            int base = graph.base(c, level);
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
