package dev.viewfold.search.memory;

import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.Metric;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.Target;
import dev.viewfold.store.BucketLayout;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorTable;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The embedded search backend: the two indexes of one space (images and observations) in this
 * process's memory, kept in step with the table. Answers up to about a million rows per process.
 *
 * <p>First use loads each from its snapshot in the bucket when there is one, else from the table.
 * After that, a search at most {@code refreshEvery} after the last look first reads the rows written
 * since (one thread does; the others search what is there). Deleted image rows leave no trace to
 * read, so every {@code reconcileEvery} the live count is checked against the table and a mismatch
 * reloads. Only rows of this space ever enter: another model's vectors are never compared.
 */
public final class MemoryBackend implements SearchBackend {

    private static final Logger LOG = Logger.getLogger(MemoryBackend.class);
    /** Rows committed out of clock order (several writers) are caught by reading a little further back. */
    private static final Duration OVERLAP = Duration.ofSeconds(5);

    private final VectorTable table;
    private final ObjectStore snapshots;
    private final String space;
    private final IntSupplier dimension;
    private final SearchIndex.Settings settings;
    private final Duration refreshEvery;
    private final Duration reconcileEvery;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private final Map<Target, Tracked> tracked = new java.util.EnumMap<>(Target.class);

    /** An index and the table time it is complete up to. */
    private static final class Tracked {
        volatile SearchIndex index;
        Instant upTo = Instant.EPOCH;
    }

    private volatile Instant lastRefresh = Instant.EPOCH;
    private volatile Instant lastReconcile = Instant.EPOCH;

    /**
     * @param snapshots where snapshots live ({@code index/<space>/<target>.vfi}), or null for none
     * @param dimension the model's output size, for an index that starts empty
     */
    public MemoryBackend(VectorTable table, ObjectStore snapshots, String space, IntSupplier dimension,
                        SearchIndex.Settings settings, Duration refreshEvery, Duration reconcileEvery, Clock clock) {
        this.table = table;
        this.snapshots = snapshots;
        this.space = space;
        this.dimension = dimension;
        this.settings = settings;
        this.refreshEvery = refreshEvery;
        this.reconcileEvery = reconcileEvery;
        this.clock = clock;
    }

    @Override
    public String space() {
        return space;
    }

    @Override
    public int dimension() {
        return index(Target.OBSERVATIONS).dimension();
    }

    @Override
    public int size(Target target) {
        return index(target).size();
    }

    @Override
    public Found search(Target target, float[] query, int k, Metric metric, SearchFilter filter, Mode mode) {
        return index(target).search(query, k, metric, filter, mode);
    }

    @Override
    public java.util.Optional<IndexEntry> entry(Target target, String id) {
        return index(target).entry(id);
    }

    @Override
    public java.util.Optional<float[]> vector(Target target, String id) {
        return index(target).vector(id);
    }

    @Override
    public java.util.Optional<String> bestView(String observationId, float[] query) {
        SearchIndex images = index(Target.IMAGES);
        String best = null;
        float bestDot = Float.NEGATIVE_INFINITY;
        for (String id : images.idsOfObservation(observationId)) {
            float dot = images.dot(id, query);
            if (dot > bestDot) {
                bestDot = dot;
                best = id;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    @Override
    public void forEach(Target target, java.util.function.BiConsumer<IndexEntry, float[]> visitor) {
        index(target).forEach(visitor);
    }

    /** The index of a target, loaded on first use and refreshed when due. */
    public SearchIndex index(Target target) {
        Tracked t = tracked(target);
        refreshIfDue();
        return t.index;
    }

    /** Whether the first load has happened (for a readiness report). */
    public boolean loaded(Target target) {
        synchronized (tracked) {
            return tracked.containsKey(target);
        }
    }

    private Tracked tracked(Target target) {
        synchronized (tracked) {
            Tracked t = tracked.get(target);
            if (t == null) {
                t = load(target);
                tracked.put(target, t);
            }
            return t;
        }
    }

    private Tracked load(Target target) {
        Tracked t = new Tracked();
        long started = System.nanoTime();
        if (snapshots != null) {
            try {
                byte[] bytes = snapshots.get(snapshotKey(target), Integer.MAX_VALUE - 64).bytes();
                IndexSnapshot.Loaded loaded = IndexSnapshot.read(bytes, space);
                t.index = loaded.index();
                t.upTo = loaded.completeUpTo();
                catchUp(target, t);
                LOG.infof("search index %s: %d rows from snapshot %s in %d ms", target, t.index.size(),
                        snapshots.uri(snapshotKey(target)), (System.nanoTime() - started) / 1_000_000);
                t.index.startGraphIfDue();
                return t;
            } catch (ObjectStore.ObjectNotFoundException e) {
                LOG.debugf("no snapshot for %s: reading the table", target);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("unusable snapshot %s (%s): reading the table", snapshotKey(target), e.getMessage());
            }
        }
        t.index = new SearchIndex(space, dimension.getAsInt(), settings);
        t.upTo = Instant.EPOCH;
        catchUp(target, t);
        LOG.infof("search index %s: %d rows from the table in %d ms", target, t.index.size(),
                (System.nanoTime() - started) / 1_000_000);
        t.index.startGraphIfDue();
        return t;
    }

    /** Applies the rows written since the index's time, and moves its time on. */
    private void catchUp(Target target, Tracked t) {
        Instant since = t.upTo.equals(Instant.EPOCH) ? Instant.EPOCH : t.upTo.minus(OVERLAP);
        Instant[] newest = {t.upTo};
        SearchIndex index = t.index;
        if (target == Target.IMAGES) {
            table.forEachImageSince(space, since, row -> {
                apply(index, row);
                if (row.updatedAt().isAfter(newest[0])) {
                    newest[0] = row.updatedAt();
                }
            });
        } else {
            table.forEachObservationSince(space, since, row -> {
                apply(index, row);
                if (row.updatedAt() != null && row.updatedAt().isAfter(newest[0])) {
                    newest[0] = row.updatedAt();
                }
            });
        }
        t.upTo = newest[0];
    }

    public static void apply(SearchIndex index, ImageRow row) {
        if (!row.isOk() || row.vector().length != index.dimension()) {
            index.remove(row.imageId());
            return;
        }
        var known = index.entry(row.imageId());
        if (known.isPresent() && known.get().updatedAt().equals(row.updatedAt())) {
            return;
        }
        index.upsert(new IndexEntry(row.imageId(), row.observationId(), null, row.labels(), row.updatedAt()), row.vector());
    }

    public static void apply(SearchIndex index, ObservationRow row) {
        if (row.status() != RowStatus.OK || row.vector() == null || row.vector().length != index.dimension()) {
            index.remove(row.observationId());
            return;
        }
        Instant updated = row.updatedAt() == null ? Instant.EPOCH : row.updatedAt();
        var known = index.entry(row.observationId());
        if (known.isPresent() && known.get().updatedAt().equals(updated)) {
            return;
        }
        index.upsert(new IndexEntry(row.observationId(), row.observationId(), row.clusterId(), row.labels(), updated),
                row.vector());
    }

    /** Reads what changed since the last look, if that was longer ago than the refresh interval. */
    public void refreshIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastRefresh, now).compareTo(refreshEvery) < 0 || !refreshing.tryLock()) {
            return;
        }
        try {
            lastRefresh = now;
            boolean reconcile = Duration.between(lastReconcile, now).compareTo(reconcileEvery) >= 0;
            for (Target target : Target.values()) {
                Tracked t;
                synchronized (tracked) {
                    t = tracked.get(target);
                }
                if (t == null) {
                    continue;
                }
                catchUp(target, t);
                if (reconcile && target == Target.IMAGES && table.stats(space).images() != t.index.size()) {
                    LOG.infof("image rows were deleted: reloading the image index");
                    Tracked fresh = new Tracked();
                    fresh.index = new SearchIndex(space, dimension.getAsInt(), settings);
                    catchUp(target, fresh);
                    fresh.index.startGraphIfDue();
                    t.index = fresh.index;
                    t.upTo = fresh.upTo;
                }
            }
            if (reconcile) {
                lastReconcile = now;
            }
        } finally {
            refreshing.unlock();
        }
    }

    /** Forces the next search to catch up first (after a write this process made itself). */
    public void markStale() {
        lastRefresh = Instant.EPOCH;
    }

    /**
     * Writes both indexes to the bucket (graphs built first), for cold starts that skip the table.
     *
     * @return the snapshot locations written
     */
    public java.util.List<String> writeSnapshots() throws IOException {
        if (snapshots == null) {
            throw new IllegalStateException("no snapshot store configured");
        }
        java.util.List<String> written = new java.util.ArrayList<>();
        for (Target target : Target.values()) {
            Tracked t = tracked(target);
            refreshIfDue();
            t.index.buildGraphNow();
            byte[] bytes = IndexSnapshot.write(t.index, t.upTo);
            snapshots.put(snapshotKey(target), bytes, Map.of("space", space, "rows", Integer.toString(t.index.size())));
            written.add(snapshots.uri(snapshotKey(target)) + " (" + t.index.size() + " rows, " + bytes.length / (1 << 20) + " MiB)");
        }
        return written;
    }

    String snapshotKey(Target target) {
        return BucketLayout.indexSnapshot(space, target.wire() + ".vfi");
    }
}
