package dev.viewfold.search.hnsw;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A graph and its builder's state as bytes, inside an index snapshot: {@code m}, {@code efConstruction},
 * the node count, the entry point and top level; per node its level and its links on each level
 * (count, then the nodes); last, a seed from where the level draws stand, so that inserts after a
 * reload draw what they would have drawn.
 */
public final class HnswGraphFormat {

    private HnswGraphFormat() {
    }

    public static void write(HnswGraphBuilder builder, DataOutputStream out) throws IOException {
        OnHeapHnswGraph g = builder.graph();
        g.lock.readLock().lock();
        try {
            out.writeInt(g.m);
            out.writeInt(builder.efConstruction());
            out.writeInt(g.size);
            out.writeInt(g.entry);
            out.writeInt(g.maxLevel);
            for (int node = 0; node < g.size; node++) {
                out.writeByte(g.levels[node]);
                for (int l = 0; l <= g.levels[node]; l++) {
                    int[] links = g.linkArray(node, l);
                    int base = g.base(node, l);
                    for (int i = 0; i <= links[base]; i++) {
                        out.writeInt(links[base + i]);
                    }
                }
            }
            out.writeLong(builder.nextSeed());
        } finally {
            g.lock.readLock().unlock();
        }
    }

    /**
     * Reads a graph over {@code vectors}, whose slots it must cover.
     *
     * @throws IOException when the bytes do not hold a consistent graph
     */
    public static HnswGraphBuilder read(DataInputStream in, VectorSlab vectors) throws IOException {
        int m = in.readInt();
        int efConstruction = in.readInt();
        int size = in.readInt();
        int entry = in.readInt();
        int maxLevel = in.readInt();
        if (m < 2 || size < 0 || size > vectors.size() || entry >= size || maxLevel > Byte.MAX_VALUE) {
            throw new IOException("inconsistent graph header: m " + m + ", " + size + " nodes for " + vectors.size()
                    + " slots, entry " + entry);
        }
        OnHeapHnswGraph g = new OnHeapHnswGraph(m);
        g.grow(size);
        for (int node = 0; node < size; node++) {
            int level = in.readByte();
            if (level < 0) {
                throw new IOException("node " + node + " has level " + level);
            }
            g.addNode(level);
            for (int l = 0; l <= level; l++) {
                int count = in.readInt();
                if (count < 0 || count > g.maxLinks(l)) {
                    throw new IOException("node " + node + " has " + count + " links on level " + l);
                }
                int[] links = new int[count];
                for (int i = 0; i < count; i++) {
                    links[i] = in.readInt();
                    if (links[i] < 0 || links[i] >= size) {
                        throw new IOException("node " + node + " links to " + links[i] + " of " + size);
                    }
                }
                g.setLinks(node, l, links, count);
            }
        }
        g.entry = entry;
        g.maxLevel = maxLevel;
        return new HnswGraphBuilder(g, vectors, efConstruction, in.readLong());
    }
}
