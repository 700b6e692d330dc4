package dev.viewfold.search.hnsw;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Adds nodes to an {@link OnHeapHnswGraph} and reconnects nodes whose vector changed. Nodes are the
 * slots of the {@link VectorSlab}, inserted in slot order; a node's level is drawn from a seeded
 * generator, so the same inserts give the same graph. One builder per graph, one writer at a time
 * (it takes the graph's write lock); searches go on beside it between steps.
 */
public final class HnswGraphBuilder {

    private final OnHeapHnswGraph graph;
    private final VectorSlab vectors;
    private final HnswGraphSearcher searcher;
    private final int efConstruction;
    private final double levelFactor;
    private final SplittableRandom random;

    public HnswGraphBuilder(OnHeapHnswGraph graph, VectorSlab vectors, int efConstruction, long seed) {
        this.graph = graph;
        this.vectors = vectors;
        this.searcher = new HnswGraphSearcher(graph, vectors);
        this.efConstruction = efConstruction;
        this.levelFactor = 1 / Math.log(graph.m);
        this.random = new SplittableRandom(seed);
    }

    public OnHeapHnswGraph graph() {
        return graph;
    }

    public int efConstruction() {
        return efConstruction;
    }

    /** A seed that continues the level draws from where they stand (for a snapshot, see {@link HnswGraphFormat}). */
    long nextSeed() {
        return random.split().nextLong();
    }

    /** Adds the next slot ({@code graph.size()}), which must already be in the vector slab. */
    public void insertNext() {
        graph.lock.writeLock().lock();
        try {
            int node = graph.size;
            int level = (int) Math.min(Byte.MAX_VALUE, Math.floor(-Math.log(1 - random.nextDouble()) * levelFactor));
            graph.addNode(level);
            if (graph.entry < 0) {
                graph.entry = node;
                graph.maxLevel = level;
                return;
            }
            attach(node, neighboursFor(node, level, vectors.copy(node)));
            if (level > graph.maxLevel) {
                graph.maxLevel = level;
                graph.entry = node;
            }
        } finally {
            graph.lock.writeLock().unlock();
        }
    }

    /**
     * Reconnects a node whose vector was overwritten in place (a changed row, or a freed slot taken by
     * a new row), keeping its level: the slot count stays what it was, however often rows change. Its
     * new neighbours are found while its old links still hold the graph together; then each old
     * neighbour drops it and refills its list from the node's other old neighbours, and the node
     * links to the new ones both ways. A node not yet in the graph needs nothing: it is inserted
     * with the vector it has then.
     */
    public void replace(int node) {
        graph.lock.writeLock().lock();
        try {
            if (node >= graph.size || graph.size == 1) {
                return;
            }
            int level = graph.levels[node];
            float[] q = vectors.copy(node);
            int[][] chosen = neighboursFor(node, level, q);
            for (int l = 0; l <= Math.min(level, graph.maxLevel); l++) {
                detach(node, l);
            }
            attach(node, chosen);
        } finally {
            graph.lock.writeLock().unlock();
        }
    }

    /** Links a node to its chosen neighbours on each level, and them back to it. */
    private void attach(int node, int[][] chosen) {
        for (int l = 0; l < chosen.length; l++) {
            if (chosen[l] != null) {
                graph.setLinks(node, l, chosen[l], chosen[l].length);
                for (int neighbour : chosen[l]) {
                    link(neighbour, node, l);
                }
            }
        }
    }

    /** The neighbours a node at {@code level} with vector {@code q} gets on each level (null above the top). */
    private int[][] neighboursFor(int node, int level, float[] q) {
        int[][] chosen = new int[level + 1][];
        int ep = graph.entry;
        for (int l = graph.maxLevel; l > level; l--) {
            ep = searcher.greedy(q, ep, l);
        }
        for (int l = Math.min(level, graph.maxLevel); l >= 0; l--) {
            ScoreHeap found = searcher.searchLayer(q, ep, efConstruction, l, other -> other != node);
            int count = found.size();
            if (count == 0) {
                chosen[l] = new int[0];
                continue;
            }
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
            chosen[l] = selectNeighbours(nodes, sims, count, graph.m);
        }
        return chosen;
    }

    /**
     * Takes a node out of its old neighbours' lists on a level and gives each of them, from the
     * node's other old neighbours, the best replacements the heuristic keeps.
     */
    private void detach(int node, int level) {
        int[] old = graph.links(node, level);
        graph.setLinks(node, level, old, 0);
        for (int neighbour : old) {
            Set<Integer> candidates = new LinkedHashSet<>();
            for (int n : graph.links(neighbour, level)) {
                if (n != node) {
                    candidates.add(n);
                }
            }
            int kept = candidates.size();
            for (int n : old) {
                if (n != neighbour) {
                    candidates.add(n);
                }
            }
            if (kept == candidates.size() && kept == graph.linkCount(neighbour, level)) {
                continue; // node was not among its links and nothing new to offer
            }
            int[] nodes = candidates.stream().mapToInt(Integer::intValue).toArray();
            float[] sims = new float[nodes.length];
            for (int i = 0; i < nodes.length; i++) {
                sims[i] = vectors.dot(neighbour, nodes[i]);
            }
            sortBestFirst(nodes, sims);
            int[] chosen = selectNeighbours(nodes, sims, nodes.length, graph.maxLinks(level));
            graph.setLinks(neighbour, level, chosen, chosen.length);
        }
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
        int max = graph.maxLinks(level);
        int[] links = graph.linkArray(from, level);
        int base = graph.base(from, level);
        int count = links[base];
        for (int i = 1; i <= count; i++) {
            if (links[base + i] == node) {
                return; // already linked (a replaced node's old neighbour that kept it)
            }
        }
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
        graph.setLinks(from, level, chosen, chosen.length);
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
}
