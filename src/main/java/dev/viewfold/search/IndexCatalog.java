package dev.viewfold.search;

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
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The two indexes of the configured space (images and observations), kept in step with the table.
 *
 * <p>First use loads each from its snapshot in the bucket when there is one, else from the table.
 * After that, a search at most {@code refreshEvery} after the last look first reads the rows written
 * since (one thread does; the others search what is there). Deleted image rows leave no trace to
 * read, so every {@code reconcileEvery} the live count is checked against the table and a mismatch
 * reloads. Only rows of this space ever enter: another model's vectors are never compared.
 */
public final class IndexCatalog {

    private static final Logger LOG = Logger.getLogger(IndexCatalog.class);
    /** Rows committed out of clock order (several writers) are caught by reading a little further back. */
    private static final Duration OVERLAP = Duration.ofSeconds(5);

    public enum Target {
        IMAGES, OBSERVATIONS;

        public static Target parse(String name) {
            return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "images", "image" -> IMAGES;
                case "observations", "observation" -> OBSERVATIONS;
                default -> throw new IllegalArgumentException("unknown target '" + name + "': use observations or images");
            };
        }

        String file() {
            return name().toLowerCase(java.util.Locale.ROOT) + ".vfi";
        }
    }

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
    public IndexCatalog(VectorTable table, ObjectStore snapshots, String space, IntSupplier dimension,
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

    public String space() {
        return space;
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

    static void apply(SearchIndex index, ImageRow row) {
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

    static void apply(SearchIndex index, ObservationRow row) {
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
        return "index/" + space + "/" + target.file();
    }
}
