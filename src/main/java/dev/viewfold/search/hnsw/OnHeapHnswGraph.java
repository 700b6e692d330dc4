package dev.viewfold.search.hnsw;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The links of a hierarchical navigable small-world graph (Malkov and Yashunin, 2018), held on the
 * heap. Nodes are the slots of a {@link VectorSlab}, {@code [0, size)}; each has a level, and on
 * every level up to it at most {@code m} links ({@code 2m} on level 0). Level-0 links live in one int
 * array ({@code [count, n1 .. n2m]} per node), so the hot loop of a search reads them in order
 * without chasing objects; upper levels are an array per node.
 *
 * <p>Locking: one {@link HnswGraphBuilder} writes under {@link #lock()}'s write lock; any number of
 * {@link HnswGraphSearcher}s read under its read lock. A caller that also holds the lock of the index
 * owning the graph takes that one first.
 */
public final class OnHeapHnswGraph {

    final int m;
    final int m0;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    int[] links0 = new int[0];
    int[][] upper = new int[0][];
    byte[] levels = new byte[0];
    int size;
    int entry = -1;
    int maxLevel = -1;

    public OnHeapHnswGraph(int m) {
        if (m < 2) {
            throw new IllegalArgumentException("a graph needs at least 2 links per node, not " + m);
        }
        this.m = m;
        this.m0 = 2 * m;
    }

    /** Nodes {@code [0, size)} are in the graph. */
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int m() {
        return m;
    }

    /** Where searches start: the node of the highest level, or -1 when empty. */
    public int entry() {
        return entry;
    }

    public int maxLevel() {
        return maxLevel;
    }

    public int level(int node) {
        return levels[node];
    }

    public ReentrantReadWriteLock lock() {
        return lock;
    }

    /** How many links a node has on a level. */
    public int linkCount(int node, int level) {
        return level == 0 ? links0[node * (m0 + 1)] : upper[node][(level - 1) * (m + 1)];
    }

    /** A copy of a node's links on a level. */
    public int[] links(int node, int level) {
        int[] links = level == 0 ? links0 : upper[node];
        int base = base(node, level);
        return Arrays.copyOfRange(links, base + 1, base + 1 + links[base]);
    }

    /** The array holding a node's links on a level; they start after the count at {@link #base}. */
    int[] linkArray(int node, int level) {
        return level == 0 ? links0 : upper[node];
    }

    /** Where a node's count of links on a level sits in {@link #linkArray}. */
    int base(int node, int level) {
        return level == 0 ? node * (m0 + 1) : (level - 1) * (m + 1);
    }

    int maxLinks(int level) {
        return level == 0 ? m0 : m;
    }

    void setLinks(int node, int level, int[] chosen, int count) {
        int[] links = linkArray(node, level);
        int base = base(node, level);
        links[base] = count;
        System.arraycopy(chosen, 0, links, base + 1, count);
    }

    /** Adds a node with its level and no links. */
    void addNode(int level) {
        int node = size;
        grow(node + 1);
        levels[node] = (byte) level;
        upper[node] = level == 0 ? null : new int[level * (m + 1)];
        size = node + 1;
    }

    void grow(int nodes) {
        if (nodes <= levels.length) {
            return;
        }
        int capacity = Math.max(nodes, levels.length * 2);
        links0 = Arrays.copyOf(links0, capacity * (m0 + 1));
        upper = Arrays.copyOf(upper, capacity);
        levels = Arrays.copyOf(levels, capacity);
    }

    /** Bytes held by the links, for a memory report. */
    public long bytes() {
        long total = (long) links0.length * Integer.BYTES + levels.length;
        for (int[] u : upper) {
            total += u == null ? 0 : (long) u.length * Integer.BYTES;
        }
        return total;
    }
}
