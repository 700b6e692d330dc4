package dev.viewfold.search.hnsw;

/** A growable max-heap of (node, key) in primitive arrays; a min-heap pushes negated keys. */
public final class ScoreHeap {

    private float[] keys;
    private int[] nodes;
    private int size;

    public ScoreHeap(int capacity) {
        keys = new float[Math.max(capacity, 4)];
        nodes = new int[keys.length];
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public float topKey() {
        return keys[0];
    }

    public int topNode() {
        return nodes[0];
    }

    public void push(int node, float key) {
        if (size == keys.length) {
            keys = java.util.Arrays.copyOf(keys, size * 2);
            nodes = java.util.Arrays.copyOf(nodes, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] >= key) {
                break;
            }
            keys[i] = keys[parent];
            nodes[i] = nodes[parent];
            i = parent;
        }
        keys[i] = key;
        nodes[i] = node;
    }

    /** Removes the top; read it first with {@link #topNode()} and {@link #topKey()}. */
    public void pop() {
        float key = keys[--size];
        int node = nodes[size];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int larger = l + 1 < size && keys[l + 1] > keys[l] ? l + 1 : l;
            if (keys[larger] <= key) {
                break;
            }
            keys[i] = keys[larger];
            nodes[i] = nodes[larger];
            i = larger;
        }
        if (size > 0) {
            keys[i] = key;
            nodes[i] = node;
        }
    }
}
