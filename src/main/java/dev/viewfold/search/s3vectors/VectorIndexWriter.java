package dev.viewfold.search.s3vectors;

import dev.viewfold.search.Target;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the S3 Vectors indexes of each space in step with rows the table has just taken: usable
 * rows are put (an existing key is replaced: a replay is harmless), the others deleted, in batches
 * of the service's 500. A batch that still fails after the client's retries is marked pending (see
 * {@link PendingIndexWrites}) and never fails the write that caused it: the table has the row.
 */
public final class VectorIndexWriter {

    private static final Logger LOG = Logger.getLogger(VectorIndexWriter.class);

    private final S3VectorsApi api;
    private final IndexNames names;
    private final PendingIndexWrites pending;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    public VectorIndexWriter(S3VectorsApi api, IndexNames names, PendingIndexWrites pending) {
        this.api = api;
        this.names = names;
        this.pending = pending;
    }

    public IndexNames names() {
        return names;
    }

    public S3VectorsApi api() {
        return api;
    }

    public void images(String space, List<ImageRow> rows) {
        Map<String, List<S3VectorsApi.Item>> puts = new LinkedHashMap<>();
        Map<String, List<String>> deletes = new LinkedHashMap<>();
        for (ImageRow row : rows) {
            String index = names.imagesOf(space, row.observationId());
            if (row.isOk() && row.vector() != null) {
                puts.computeIfAbsent(index, k -> new ArrayList<>()).add(IndexItems.of(row));
            } else {
                deletes.computeIfAbsent(index, k -> new ArrayList<>()).add(row.imageId());
            }
        }
        puts.forEach((index, items) -> put(space, Target.IMAGES, index, items));
        deletes.forEach((index, keys) -> delete(space, Target.IMAGES, index, keys));
    }

    /** An image row removed; its observation names the shard (null: every shard). */
    public void imageDeleted(String space, String imageId, String observationId) {
        List<String> indexes = observationId == null ? names.images(space)
                : List.of(names.imagesOf(space, observationId));
        for (String index : indexes) {
            delete(space, Target.IMAGES, index, List.of(imageId));
        }
    }

    public void observations(String space, List<ObservationRow> rows) {
        List<S3VectorsApi.Item> puts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        for (ObservationRow row : rows) {
            if (row.status() == dev.viewfold.store.RowStatus.OK && row.vector() != null) {
                puts.add(IndexItems.of(row));
            } else {
                deletes.add(row.observationId());
            }
        }
        put(space, Target.OBSERVATIONS, names.observations(space), puts);
        delete(space, Target.OBSERVATIONS, names.observations(space), deletes);
    }

    void put(String space, Target target, String index, List<S3VectorsApi.Item> items) {
        for (int from = 0; from < items.size(); from += S3VectorsApi.MAX_PUT) {
            List<S3VectorsApi.Item> batch = items.subList(from, Math.min(items.size(), from + S3VectorsApi.MAX_PUT));
            try {
                ensure(index, batch.get(0).data().length);
                api.putVectors(index, batch);
            } catch (RuntimeException e) {
                failed(space, target, batch.stream().map(S3VectorsApi.Item::key).toList(), e);
            }
        }
    }

    void delete(String space, Target target, String index, List<String> keys) {
        for (int from = 0; from < keys.size(); from += S3VectorsApi.MAX_PUT) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + S3VectorsApi.MAX_PUT));
            try {
                api.deleteVectors(index, batch);
            } catch (RuntimeException e) {
                failed(space, target, batch, e);
            }
        }
    }

    /**
     * The index exists with this dimension, created if missing (a trained head's space gets its
     * indexes on its first write); another dimension is a model or head that does not fit it.
     */
    void ensure(String index, int dimension) {
        if (ready.contains(index)) {
            return;
        }
        int existing = api.indexDimension(index);
        if (existing < 0) {
            api.createIndex(index, dimension);
            LOG.infof("S3 Vectors index %s/%s created (%d-d, cosine)", api.bucket(), index, dimension);
        } else if (existing != dimension) {
            throw new IllegalStateException("S3 Vectors index " + api.bucket() + "/" + index + " holds " + existing
                    + "-d vectors, these rows are " + dimension + "-d: a changed model needs indexes of its own"
                    + " (another viewfold.search.s3vectors.index-prefix) and a re-encode");
        }
        ready.add(index);
    }

    private void failed(String space, Target target, List<String> ids, RuntimeException e) {
        LOG.warnf("S3 Vectors: %d %s of %s not written to the index (%s); marked for the repair pass",
                ids.size(), target.wire(), space, e.getMessage());
        for (String id : ids) {
            try {
                pending.mark(space, target, id);
            } catch (IOException markFailed) {
                LOG.errorf("S3 Vectors: %s %s could not be marked pending either (%s): check --full finds it",
                        target.wire(), id, markFailed.getMessage());
            }
        }
    }
}
