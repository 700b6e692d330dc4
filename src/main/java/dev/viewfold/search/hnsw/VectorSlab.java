package dev.viewfold.search.hnsw;

import dev.viewfold.math.DotKernel;

/**
 * Unit vectors of one dimension, stored back to back in fixed-size chunks: a slot's vector never
 * moves, growing never copies what is there, and a scan walks memory in order. A slot's vector may
 * be overwritten ({@link #set}), which is how the index reuses the slots of changed and removed rows.
 * Not thread-safe: the index that owns it serialises writers against readers.
 */
public final class VectorSlab {

    private static final int CHUNK_BITS = 10;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final int dimension;
    private final DotKernel kernel;
    private float[][] chunks = new float[0][];
    private int size;

    public VectorSlab(int dimension, DotKernel kernel) {
        this.dimension = dimension;
        this.kernel = kernel;
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return size;
    }

    /** Appends a copy of {@code vector}; returns its slot. */
    public int add(float[] vector) {
        int slot = size;
        int chunk = slot >>> CHUNK_BITS;
        if (chunk == chunks.length) {
            chunks = java.util.Arrays.copyOf(chunks, chunks.length + 1);
            chunks[chunk] = new float[CHUNK * dimension];
        }
        System.arraycopy(vector, 0, chunks[chunk], (slot & (CHUNK - 1)) * dimension, dimension);
        size++;
        return slot;
    }

    /** Overwrites the vector of an existing slot with a copy of {@code vector}. */
    public void set(int slot, float[] vector) {
        if (slot < 0 || slot >= size) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + size);
        }
        System.arraycopy(vector, 0, chunks[slot >>> CHUNK_BITS], (slot & (CHUNK - 1)) * dimension, dimension);
    }

    /** Bytes held, for a memory report: every chunk allocated, used or not. */
    public long bytes() {
        return (long) chunks.length * CHUNK * dimension * Float.BYTES;
    }

    public float dot(int slot, float[] query) {
        return kernel.dot(chunks[slot >>> CHUNK_BITS], (slot & (CHUNK - 1)) * dimension, query, 0, dimension);
    }

    public float dot(int a, int b) {
        return kernel.dot(chunks[a >>> CHUNK_BITS], (a & (CHUNK - 1)) * dimension,
                chunks[b >>> CHUNK_BITS], (b & (CHUNK - 1)) * dimension, dimension);
    }

    /**
     * Inner products of {@code query} with {@code slots[0 .. n)}, into {@code out[0 .. n)}; the same
     * values as {@link #dot(int, float[])} one by one, computed four vectors at a time.
     */
    public void dots(int[] slots, int n, float[] query, float[] out) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int a = slots[j];
            int b = slots[j + 1];
            int c = slots[j + 2];
            int d = slots[j + 3];
            kernel.dot4(chunks[a >>> CHUNK_BITS], (a & (CHUNK - 1)) * dimension,
                    chunks[b >>> CHUNK_BITS], (b & (CHUNK - 1)) * dimension,
                    chunks[c >>> CHUNK_BITS], (c & (CHUNK - 1)) * dimension,
                    chunks[d >>> CHUNK_BITS], (d & (CHUNK - 1)) * dimension,
                    query, 0, dimension, out, j);
        }
        for (; j < n; j++) {
            out[j] = dot(slots[j], query);
        }
    }

    public float[] copy(int slot) {
        float[] out = new float[dimension];
        System.arraycopy(chunks[slot >>> CHUNK_BITS], (slot & (CHUNK - 1)) * dimension, out, 0, dimension);
        return out;
    }

    /** Inner products of {@code query} with slots {@code [from, to)}, into {@code out[0 .. to-from)}. */
    public void dots(float[] query, int from, int to, float[] out) {
        for (int slot = from; slot < to; slot++) {
            out[slot - from] = dot(slot, query);
        }
    }
}
