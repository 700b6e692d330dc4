package dev.viewfold.search.memory;

import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.hnsw.HnswGraphBuilder;
import dev.viewfold.search.hnsw.HnswGraphFormat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A search index as bytes, so that a cold function loads it from the bucket instead of reading the
 * whole table: every slot (the few dead ones too, so the graph's node ids still line up; the next new
 * rows take them), the graph when there is one, and the table time up to which it is complete (the
 * caller catches up from there).
 */
public final class IndexSnapshot {

    private static final int MAGIC = 0x56464958; // "VFIX"
    private static final int VERSION = 1;

    /** A snapshot read back: the index and the table time it is complete up to. */
    public record Loaded(SearchIndex index, Instant completeUpTo) {
    }

    private IndexSnapshot() {
    }

    public static byte[] write(SearchIndex index, Instant completeUpTo) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        index.readLock().lock();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16))) {
            SearchIndex.Settings s = index.settings();
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(index.space());
            out.writeInt(index.dimension());
            out.writeInt(s.graphThreshold());
            out.writeInt(s.m());
            out.writeInt(s.efConstruction());
            out.writeInt(s.efSearch());
            out.writeLong(s.seed());
            out.writeLong(completeUpTo.toEpochMilli());
            int slots = index.slab().size();
            out.writeInt(slots);
            ByteBuffer vector = ByteBuffer.allocate(index.dimension() * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int slot = 0; slot < slots; slot++) {
                IndexEntry e = index.entryAt(slot);
                out.writeBoolean(index.liveAt(slot));
                out.writeUTF(e.id());
                out.writeUTF(e.observationId());
                out.writeUTF(e.clusterId() == null ? "" : e.clusterId());
                out.writeInt(e.labels().size());
                for (String label : e.labels()) {
                    out.writeUTF(label);
                }
                out.writeLong(e.updatedAt().toEpochMilli());
                vector.clear();
                vector.asFloatBuffer().put(index.slab().copy(slot));
                out.write(vector.array());
            }
            HnswGraphBuilder graph = index.readyGraph();
            out.writeBoolean(graph != null);
            if (graph != null) {
                HnswGraphFormat.write(graph, out);
            }
        } finally {
            index.readLock().unlock();
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IOException when the bytes are not a snapshot of this version, or of another space
     */
    public static Loaded read(byte[] bytes, String expectedSpace) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(bytes), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a Viewfold index snapshot (version " + VERSION + ")");
            }
            String space = in.readUTF();
            if (!space.equals(expectedSpace)) {
                throw new IOException("snapshot of space " + space + ", not " + expectedSpace);
            }
            int dimension = in.readInt();
            SearchIndex.Settings settings = new SearchIndex.Settings(in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readLong());
            Instant completeUpTo = Instant.ofEpochMilli(in.readLong());
            int slots = in.readInt();
            List<IndexEntry> entries = new ArrayList<>(slots);
            boolean[] live = new boolean[slots];
            List<float[]> vectors = new ArrayList<>(slots);
            byte[] raw = new byte[dimension * 4];
            for (int slot = 0; slot < slots; slot++) {
                live[slot] = in.readBoolean();
                String id = in.readUTF();
                String observation = in.readUTF();
                String cluster = in.readUTF();
                int labelCount = in.readInt();
                Set<String> labels = new HashSet<>();
                for (int i = 0; i < labelCount; i++) {
                    labels.add(in.readUTF());
                }
                Instant updated = Instant.ofEpochMilli(in.readLong());
                entries.add(new IndexEntry(id, observation, cluster.isEmpty() ? null : cluster, labels, updated));
                in.readFully(raw);
                float[] v = new float[dimension];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                vectors.add(v);
            }
            SearchIndex index = new SearchIndex(space, dimension, settings);
            index.restore(entries, live, vectors);
            if (in.readBoolean()) {
                index.adoptGraph(HnswGraphFormat.read(in, index.slab()));
            }
            return new Loaded(index, completeUpTo);
        }
    }
}
