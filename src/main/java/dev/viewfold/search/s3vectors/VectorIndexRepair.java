package dev.viewfold.search.s3vectors;

import dev.viewfold.search.Target;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.VectorTable;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the indexes level with the table again: first the writes marked pending (cheap; the
 * {@code check} pass does it at every start), then, when asked ({@code check --full}), a whole
 * comparison: every index item against every row, putting what is missing or stale and deleting
 * what the table no longer has.
 */
public final class VectorIndexRepair {

    private static final Logger LOG = Logger.getLogger(VectorIndexRepair.class);

    private final VectorTable table;
    private final VectorIndexWriter writer;
    private final PendingIndexWrites pending;

    /** @param table the table itself, not the indexed one: the repair writes the index on its own */
    public VectorIndexRepair(VectorTable table, VectorIndexWriter writer, PendingIndexWrites pending) {
        this.table = table instanceof IndexedVectorTable indexed ? indexed.unwrapped() : table;
        this.writer = writer;
        this.pending = pending;
    }

    /** Puts (or deletes) the rows of the marked writes; returns how many were mended. */
    public int pending() {
        int mended = 0;
        try {
            for (PendingIndexWrites.Pending p : pending.all()) {
                if (p.target() == Target.IMAGES) {
                    var row = table.findImage(p.space(), p.id());
                    if (row.isPresent()) {
                        writer.images(p.space(), List.of(row.get()));
                    } else {
                        writer.imageDeleted(p.space(), p.id(), null);
                    }
                } else {
                    var row = table.findObservation(p.space(), p.id());
                    if (row.isPresent()) {
                        writer.observations(p.space(), List.of(row.get()));
                    } else {
                        writer.delete(p.space(), Target.OBSERVATIONS, writer.names().observations(p.space()),
                                List.of(p.id()));
                    }
                }
                // A write that failed again has just marked itself anew (the same marker key).
                pending.done(p);
                mended++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mended;
    }

    /**
     * Compares a space's indexes with the table item by item; returns the items put or deleted.
     * Holds the index's keys and metadata in memory (a few hundred bytes an item), never the
     * table's vectors: rows stream past once per target.
     */
    public int full(String space) {
        int changed = 0;
        Map<String, Indexed> images = new HashMap<>();
        for (String index : writer.names().images(space)) {
            listInto(index, images);
        }
        List<ImageRow> imagePuts = new ArrayList<>();
        int[] count = {0};
        table.forEachImage(space, row -> {
            Indexed got = images.remove(row.imageId());
            if (row.isOk() && row.vector() != null && (got == null || !IndexItems.current(got.metadata(), IndexItems.of(row))
                    || !got.index().equals(writer.names().imagesOf(space, row.observationId())))) {
                imagePuts.add(row);
                if (got != null && !got.index().equals(writer.names().imagesOf(space, row.observationId()))) {
                    images.put(row.imageId(), got); // in another shard: removed from there below
                }
                if (imagePuts.size() == S3VectorsApi.MAX_PUT) {
                    writer.images(space, List.copyOf(imagePuts));
                    count[0] += imagePuts.size();
                    imagePuts.clear();
                }
            }
        });
        writer.images(space, imagePuts);
        changed += count[0] + imagePuts.size() + deleteAll(space, Target.IMAGES, images);

        Map<String, Indexed> observations = new HashMap<>();
        listInto(writer.names().observations(space), observations);
        List<ObservationRow> observationPuts = new ArrayList<>();
        count[0] = 0;
        table.forEachObservationSince(space, java.time.Instant.EPOCH, row -> {
            Indexed got = observations.remove(row.observationId());
            boolean usable = row.status() == dev.viewfold.store.RowStatus.OK && row.vector() != null;
            if (usable && (got == null || !IndexItems.current(got.metadata(), IndexItems.of(row)))) {
                observationPuts.add(row);
                if (observationPuts.size() == S3VectorsApi.MAX_PUT) {
                    writer.observations(space, List.copyOf(observationPuts));
                    count[0] += observationPuts.size();
                    observationPuts.clear();
                }
            } else if (!usable && got != null) {
                observations.put(row.observationId(), got);
            }
        });
        writer.observations(space, observationPuts);
        changed += count[0] + observationPuts.size() + deleteAll(space, Target.OBSERVATIONS, observations);
        if (changed > 0) {
            LOG.infof("S3 Vectors: %d items of space %s put again or removed", changed, space);
        }
        return changed;
    }

    private record Indexed(String index, Map<String, Object> metadata) {
    }

    private void listInto(String index, Map<String, Indexed> out) {
        if (writer.api().indexDimension(index) < 0) {
            return; // never written
        }
        String token = null;
        do {
            S3VectorsApi.Page page = writer.api().list(index, token, false, 0, 1);
            for (S3VectorsApi.Item got : page.items()) {
                out.put(got.key(), new Indexed(index, got.metadata()));
            }
            token = page.next();
        } while (token != null);
    }

    private int deleteAll(String space, Target target, Map<String, Indexed> left) {
        Map<String, List<String>> byIndex = new HashMap<>();
        left.forEach((key, got) -> byIndex.computeIfAbsent(got.index(), k -> new ArrayList<>()).add(key));
        byIndex.forEach((index, keys) -> writer.delete(space, target, index, keys));
        return left.size();
    }
}
