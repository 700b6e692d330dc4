package dev.viewfold.search.hnsw;

/**
 * The k best (slot, score) pairs seen so far: a min-heap on score in two primitive arrays, so a
 * scan over 100k vectors allocates nothing per candidate.
 */
public final class TopK {

    private final int k;
    private final float[] scores;
    private final int[] slots;
    private int size;

    public TopK(int k) {
        this.k = k;
        this.scores = new float[k];
        this.slots = new int[k];
    }

    public int size() {
        return size;
    }

    /** The score a candidate must beat to get in. */
    public float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    public void offer(int slot, float score) {
        if (size < k) {
            scores[size] = score;
            slots[size] = slot;
            siftUp(size++);
        } else if (score > scores[0]) {
            scores[0] = score;
            slots[0] = slot;
            siftDown(0);
        }
    }

    /** Positions of the entries, best first (ties: lower slot first); read them with {@link #slot} and {@link #score}. */
    public int[] bestFirst() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a])
                : Integer.compare(slots[a], slots[b]));
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = order[i];
        }
        return out;
    }

    public int slot(int position) {
        return slots[position];
    }

    public float score(int position) {
        return scores[position];
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (scores[parent] <= scores[i]) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int smallest = l + 1 < size && scores[l + 1] < scores[l] ? l + 1 : l;
            if (scores[i] <= scores[smallest]) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int t = slots[a];
        slots[a] = slots[b];
        slots[b] = t;
    }
}
