package dev.viewfold.search.memory;

import dev.viewfold.math.DotKernel;
import dev.viewfold.math.DotKernels;
import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.Metric;
import dev.viewfold.search.Neighbour;
import dev.viewfold.search.SearchBackend.Found;
import dev.viewfold.search.SearchBackend.Mode;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.hnsw.HnswGraphBuilder;
import dev.viewfold.search.hnsw.HnswGraphSearcher;
import dev.viewfold.search.hnsw.OnHeapHnswGraph;
import dev.viewfold.search.hnsw.TopK;
import dev.viewfold.search.hnsw.VectorSlab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.IntPredicate;

/**
 * The rows of one space and one target (images or observations), searchable by vector: which id
 * sits in which slot of the {@link VectorSlab}, which slots are live, and how a search is answered.
 *
 * <p>An exact scan is the oracle and answers while the index is small; from
 * {@link Settings#graphThreshold} rows an HNSW graph answers instead, built in the background (the
 * scan serves meanwhile) and kept up to date by every write after. A narrow filter is answered by
 * scanning the few rows it lets through, and the answer says so.
 *
 * <p>Slots are reused, so memory follows the live rows, however often they change: a row whose
 * vector changes keeps its slot (the vector is overwritten and the graph node reconnected), and the
 * slot of a removed row goes to the next new row. Only a removal with no new row after it leaves a
 * dead slot (walked through by the graph, never returned), and the next new row takes it.
 *
 * <p>Locking: {@link #lock} guards the slots, ids and liveness. Writes ({@link #upsert}, {@link #remove})
 * hold its write lock, including the graph change they cause; searches and visits hold its read lock.
 * The background build holds the read lock for each step of {@value #BUILD_STEP} inserts, so searches
 * go on and writers get their turn between steps. The graph has its own lock (one builder, many
 * searchers), always taken after this one.
 */
public final class SearchIndex {

    /**
     * @param graphThreshold live rows from which the graph answers (below it, the scan is fast enough)
     * @param m              graph links per node and level (twice that on level 0)
     * @param efConstruction beam width while inserting
     * @param efSearch       beam width while searching (at least k): recall against speed
     * @param seed           the graph's level draws: same rows in the same order, same graph
     */
    public record Settings(int graphThreshold, int m, int efConstruction, int efSearch, long seed) {
        public static final Settings DEFAULT = new Settings(20_000, 16, 100, 48, 42);

        public Settings {
            if (graphThreshold < 0 || m < 2 || efConstruction < 1 || efSearch < 1) {
                throw new IllegalArgumentException("index settings out of range: " + m + " links, ef "
                        + efConstruction + "/" + efSearch + ", threshold " + graphThreshold);
            }
        }
    }

    /** Inserted per read-lock hold while the graph is built, so writers get their turn. */
    private static final int BUILD_STEP = 512;

    private final String space;
    private final Settings settings;
    private final VectorSlab vectors;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> slotOf = new HashMap<>();
    private final Map<String, List<String>> idsByObservation = new HashMap<>();
    private IndexEntry[] entries = new IndexEntry[1024];
    private boolean[] live = new boolean[1024];
    private int liveCount;
    /** Dead slots, to be taken by the next new rows. */
    private int[] free = new int[16];
    private int freeCount;
    private volatile HnswGraphBuilder builder;
    private volatile HnswGraphSearcher searcher;
    private volatile boolean graphReady;
    private Thread buildThread;

    public SearchIndex(String space, int dimension, Settings settings) {
        this(space, dimension, settings, DotKernels.best());
    }

    SearchIndex(String space, int dimension, Settings settings, DotKernel kernel) {
        this.space = space;
        this.settings = settings;
        this.vectors = new VectorSlab(dimension, kernel);
    }

    public String space() {
        return space;
    }

    public int dimension() {
        return vectors.dimension();
    }

    public Settings settings() {
        return settings;
    }

    /** Live rows. */
    public int size() {
        lock.readLock().lock();
        try {
            return liveCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Slots in use, live or dead: what the index's memory follows. */
    public int slots() {
        lock.readLock().lock();
        try {
            return vectors.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether searches in {@link Mode#AUTO} may go through the graph. */
    public boolean approximate() {
        return graphReady;
    }

    /**
     * Adds a row or replaces the row with the same id. A new vector is written over the row's own
     * slot (or a dead one, for a new row); the same vector only updates what is known of the row
     * (its cluster, labels).
     *
     * @param unitVector unit length, {@link #dimension()} long; copied
     */
    public void upsert(IndexEntry entry, float[] unitVector) {
        if (unitVector.length != vectors.dimension()) {
            throw new IllegalArgumentException("vector of " + unitVector.length + " dimensions for an index of "
                    + vectors.dimension() + ": " + entry.id());
        }
        lock.writeLock().lock();
        try {
            Integer old = slotOf.get(entry.id());
            if (old != null) {
                forget(entries[old]);
                remember(entry);
                entries[old] = entry;
                if (!Arrays.equals(vectors.copy(old), unitVector)) {
                    vectors.set(old, unitVector);
                    reconnect(old);
                }
                return;
            }
            remember(entry);
            int slot;
            if (freeCount > 0) {
                slot = free[--freeCount];
                vectors.set(slot, unitVector);
                occupy(slot, entry);
                reconnect(slot);
            } else {
                slot = vectors.add(unitVector);
                if (slot == entries.length) {
                    entries = Arrays.copyOf(entries, slot * 2);
                    live = Arrays.copyOf(live, slot * 2);
                }
                occupy(slot, entry);
                if (graphReady) {
                    builder.insertNext();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        startGraphIfDue();
    }

    private void occupy(int slot, IndexEntry entry) {
        entries[slot] = entry;
        live[slot] = true;
        liveCount++;
        slotOf.put(entry.id(), slot);
    }

    /** A slot's vector changed: its graph node, if it has one yet, is linked anew. */
    private void reconnect(int slot) {
        HnswGraphBuilder b = builder;
        if (b != null) {
            b.replace(slot);
        }
    }

    /** Removes a row; returns whether it was there. Its slot goes to the next new row. */
    public boolean remove(String id) {
        lock.writeLock().lock();
        try {
            Integer slot = slotOf.remove(id);
            if (slot == null) {
                return false;
            }
            forget(entries[slot]);
            live[slot] = false;
            liveCount--;
            release(slot);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void release(int slot) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
    }

    private void remember(IndexEntry e) {
        idsByObservation.computeIfAbsent(e.observationId(), o -> new ArrayList<>(2)).add(e.id());
    }

    private void forget(IndexEntry e) {
        List<String> ids = idsByObservation.get(e.observationId());
        if (ids != null) {
            ids.remove(e.id());
            if (ids.isEmpty()) {
                idsByObservation.remove(e.observationId());
            }
        }
    }

    /** The ids of the rows of one observation (an image index: its views). */
    public List<String> idsOfObservation(String observationId) {
        lock.readLock().lock();
        try {
            return List.copyOf(idsByObservation.getOrDefault(observationId, List.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<IndexEntry> entry(String id) {
        lock.readLock().lock();
        try {
            Integer slot = slotOf.get(id);
            return slot == null ? Optional.empty() : Optional.of(entries[slot]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of a row's vector. */
    public Optional<float[]> vector(String id) {
        lock.readLock().lock();
        try {
            Integer slot = slotOf.get(id);
            return slot == null ? Optional.empty() : Optional.of(vectors.copy(slot));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Visits every live row in slot order, with a copy of its vector. */
    public void forEach(BiConsumer<IndexEntry, float[]> visitor) {
        lock.readLock().lock();
        try {
            for (int slot = 0; slot < vectors.size(); slot++) {
                if (live[slot]) {
                    visitor.accept(entries[slot], vectors.copy(slot));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Inner product of a query with a stored row, or NaN when the row is not here. */
    public float dot(String id, float[] query) {
        lock.readLock().lock();
        try {
            Integer slot = slotOf.get(id);
            return slot == null ? Float.NaN : vectors.dot(slot, query);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The {@code k} rows nearest {@code query} that pass the filter, best first, and whether the
     * graph answered.
     *
     * @param query any length but {@link #dimension()} long; not modified
     */
    public Found search(float[] query, int k, Metric metric, SearchFilter filter, Mode mode) {
        return search(query, k, metric, filter, mode, settings.efSearch());
    }

    /** As {@link #search(float[], int, Metric, SearchFilter, Mode)}, with the graph's beam width given. */
    public Found search(float[] query, int k, Metric metric, SearchFilter filter, Mode mode, int efSearch) {
        if (query.length != vectors.dimension()) {
            throw new IllegalArgumentException("query of " + query.length + " dimensions for an index of "
                    + vectors.dimension());
        }
        double norm2 = 0; // in double: a float sum of squares overflows for entries past about 1e18
        for (float x : query) {
            norm2 += (double) x * x;
        }
        lock.readLock().lock();
        try {
            TopK top = new TopK(k);
            IntPredicate accept = filter.selective()
                    ? slot -> live[slot] && filter.accepts(entries[slot])
                    : slot -> live[slot];
            // Rows a selective filter lets through, counted once: it decides the path and the beam width.
            int allowed = filter.selective() && graphReady && mode != Mode.EXACT ? count(accept) : liveCount;
            boolean graph = useGraph(mode, filter, allowed);
            if (graph) {
                int ef = Math.max(efSearch, k);
                if (filter.selective()) {
                    // Fewer rows pass: widen the beam so that k of them are still found.
                    ef = (int) Math.min(ef * (double) liveCount / Math.max(1, allowed), 8 * (double) ef);
                }
                searcher.search(query, ef, accept, top);
            } else {
                scan(query, accept, top);
            }
            List<Neighbour> out = new ArrayList<>(top.size());
            double length = Math.sqrt(norm2);
            for (int position : top.bestFirst()) {
                int slot = top.slot(position);
                float dot = top.score(position); // both paths rank by the inner product itself
                float score = length == 0 ? 0 : (float) (dot / length);
                if (filter.minScore() == null || score >= filter.minScore()) {
                    out.add(new Neighbour(entries[slot], score, metric.distance(dot, norm2)));
                }
            }
            return new Found(out, graph);
        } finally {
            lock.readLock().unlock();
        }
    }

    private boolean useGraph(Mode mode, SearchFilter filter, int allowed) {
        if (mode == Mode.EXACT || !graphReady) {
            return false;
        }
        if (mode == Mode.APPROXIMATE || !filter.selective()) {
            return true;
        }
        // A narrow filter leaves few rows: scanning them is cheaper than a wide graph walk, and exact.
        return allowed > Math.max(settings.graphThreshold(), liveCount / 10);
    }

    private int count(IntPredicate accept) {
        int n = 0;
        for (int slot = 0, size = vectors.size(); slot < size; slot++) {
            if (accept.test(slot)) {
                n++;
            }
        }
        return n;
    }

    private void scan(float[] query, IntPredicate accept, TopK top) {
        for (int slot = 0, size = vectors.size(); slot < size; slot++) {
            if (accept.test(slot)) {
                float dot = vectors.dot(slot, query);
                if (dot > top.threshold()) {
                    top.offer(slot, dot);
                }
            }
        }
    }

    /** Starts building the graph in the background once the index is big enough; the scan answers meanwhile. */
    public synchronized void startGraphIfDue() {
        if (builder != null || liveCount < settings.graphThreshold()) {
            return;
        }
        newGraph();
        buildThread = new Thread(this::buildGraph, "viewfold-index-" + space);
        buildThread.setDaemon(true);
        buildThread.start();
    }

    /** Builds the graph now, on this thread, if the index is big enough (for tools and tests). */
    public void buildGraphNow() {
        synchronized (this) {
            if (builder == null && liveCount >= settings.graphThreshold() && liveCount > 0) {
                newGraph();
                buildThread = Thread.currentThread();
            }
        }
        if (buildThread == Thread.currentThread()) {
            buildGraph();
        } else {
            awaitGraph();
        }
    }

    private void newGraph() {
        HnswGraphBuilder b = new HnswGraphBuilder(new OnHeapHnswGraph(settings.m()), vectors,
                settings.efConstruction(), settings.seed());
        searcher = new HnswGraphSearcher(b.graph(), vectors);
        builder = b;
    }

    /** Waits for a background build to finish. */
    public void awaitGraph() {
        Thread t;
        synchronized (this) {
            t = buildThread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void buildGraph() {
        HnswGraphBuilder b = builder;
        OnHeapHnswGraph g = b.graph();
        while (true) {
            lock.readLock().lock();
            try {
                int end = Math.min(vectors.size(), g.size() + BUILD_STEP);
                while (g.size() < end) {
                    b.insertNext();
                }
            } finally {
                lock.readLock().unlock();
            }
            lock.writeLock().lock();
            try {
                if (g.size() == vectors.size()) {
                    // Caught up: from here on, every write changes the graph itself.
                    graphReady = true;
                    return;
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    // --- snapshot support (IndexSnapshot) ---

    VectorSlab slab() {
        return vectors;
    }

    IndexEntry entryAt(int slot) {
        return entries[slot];
    }

    boolean liveAt(int slot) {
        return live[slot];
    }

    HnswGraphBuilder readyGraph() {
        return graphReady ? builder : null;
    }

    ReentrantReadWriteLock.ReadLock readLock() {
        return lock.readLock();
    }

    /** Restores slots exactly as a snapshot holds them (dead ones included, so graph node ids line up). */
    void restore(List<IndexEntry> slotEntries, boolean[] slotLive, List<float[]> slotVectors) {
        lock.writeLock().lock();
        try {
            for (int slot = 0; slot < slotEntries.size(); slot++) {
                int s = vectors.add(slotVectors.get(slot));
                if (s == entries.length) {
                    entries = Arrays.copyOf(entries, s * 2);
                    live = Arrays.copyOf(live, s * 2);
                }
                entries[s] = slotEntries.get(slot);
                if (slotLive[slot]) {
                    remember(slotEntries.get(slot));
                    occupy(s, slotEntries.get(slot));
                } else {
                    release(s);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Takes a graph read with this index's slab, covering every slot. */
    void adoptGraph(HnswGraphBuilder restored) {
        lock.writeLock().lock();
        try {
            if (restored.graph().size() != vectors.size()) {
                throw new IllegalStateException("graph of " + restored.graph().size() + " nodes for " + vectors.size()
                        + " slots");
            }
            searcher = new HnswGraphSearcher(restored.graph(), vectors);
            builder = restored;
            graphReady = true;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
