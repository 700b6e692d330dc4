package dev.viewfold.search.s3vectors;

import dev.viewfold.store.ForwardingVectorTable;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStamps;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.VectorTable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The vector table with the S3 Vectors indexes following it: every write the table takes (encode,
 * fold, cluster placements, label edits, a head's re-projection, deletes) is passed on to the
 * index after the table has it, so no writer needs to know the index is there.
 */
public final class IndexedVectorTable extends ForwardingVectorTable {

    private final VectorIndexWriter index;

    public IndexedVectorTable(VectorTable table, VectorIndexWriter index) {
        super(table);
        this.index = index;
    }

    public VectorTable unwrapped() {
        return table;
    }

    @Override
    public List<ImageRow> putImages(List<ImageRow> rows) {
        List<ImageRow> written = table.putImages(rows);
        // One call may carry several spaces (a head's re-projection writes its own).
        Map<String, List<ImageRow>> bySpace = new java.util.LinkedHashMap<>();
        written.forEach(r -> bySpace.computeIfAbsent(r.space(), k -> new ArrayList<>()).add(r));
        bySpace.forEach(index::images);
        return written;
    }

    @Override
    public void putObservation(ObservationRow row) {
        table.putObservation(row);
        index.observations(row.space(), List.of(row));
    }

    @Override
    public boolean putFold(ObservationRow fold) {
        boolean written = table.putFold(fold);
        if (written) {
            // The stored row, with its labels and placement: the fold carries neither.
            table.findObservation(fold.space(), fold.observationId())
                    .ifPresent(row -> index.observations(row.space(), List.of(row)));
        }
        return written;
    }

    /**
     * The table takes the folds at once, then the index the written ones as stored (with their
     * labels and placement), read back together and put once a space.
     */
    @Override
    public List<Boolean> putFolds(List<ObservationRow> folds) {
        List<Boolean> written = table.putFolds(folds);
        Map<String, List<String>> bySpace = new java.util.LinkedHashMap<>();
        for (int i = 0; i < folds.size(); i++) {
            if (written.get(i)) {
                bySpace.computeIfAbsent(folds.get(i).space(), k -> new ArrayList<>()).add(folds.get(i).observationId());
            }
        }
        bySpace.forEach((space, ids) -> index.observations(space, table.findObservations(space, ids)));
        return written;
    }

    @Override
    public int putPlacements(String space, Map<String, ObservationRow.Placement> placements, Instant now) {
        int written = table.putPlacements(space, placements, now);
        // Placements stamp their rows with `now`: one pass over the rows written since reads them
        // all back (a cluster run places every observation), where a read per row would not scale.
        List<ObservationRow> rows = new ArrayList<>();
        table.forEachObservationSince(space, now, row -> {
            if (placements.containsKey(row.observationId())) {
                rows.add(row);
                if (rows.size() == S3VectorsApi.MAX_PUT) {
                    index.observations(space, List.copyOf(rows));
                    rows.clear();
                }
            }
        });
        index.observations(space, rows);
        return written;
    }

    @Override
    public void deleteImage(String space, String imageId) {
        String observation = table.findImage(space, imageId).map(ImageRow::observationId).orElse(null);
        table.deleteImage(space, imageId);
        index.imageDeleted(space, imageId, observation);
    }

    @Override
    public boolean deleteImageIfUnchanged(String space, String imageId, Instant updatedAt) {
        String observation = table.findImage(space, imageId).map(ImageRow::observationId).orElse(null);
        boolean deleted = table.deleteImageIfUnchanged(space, imageId, updatedAt);
        if (deleted) {
            index.imageDeleted(space, imageId, observation);
        }
        return deleted;
    }
}
