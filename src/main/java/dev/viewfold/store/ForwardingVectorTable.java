package dev.viewfold.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A table that hands every call to another, the reads an adapter may do its own way included (its
 * parallel scan, its stamp reads): a decorator overrides only the calls it adds to, as the S3 Vectors
 * index that follows the writes does. {@code putImage} and {@code forEachImage} stay the interface's
 * defaults, so they pass through the decorator's own {@code putImages} and {@code forEachImageSince};
 * so does {@code putFolds}, through {@code putFold}. A decorator that changes how one observation's
 * rows are read overrides {@code imagesOfObservations} too: batches read through it.
 */
public abstract class ForwardingVectorTable implements VectorTable {

    protected final VectorTable table;

    protected ForwardingVectorTable(VectorTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public Optional<ImageRow> findImage(String space, String imageId) {
        return table.findImage(space, imageId);
    }

    @Override
    public List<ImageRow> putImages(List<ImageRow> rows) {
        return table.putImages(rows);
    }

    @Override
    public List<ImageRow> imagesOfObservation(String space, String observationId) {
        return table.imagesOfObservation(space, observationId);
    }

    @Override
    public Map<String, List<ImageRow>> imagesOfObservations(String space, java.util.Collection<String> observationIds) {
        return table.imagesOfObservations(space, observationIds);
    }

    @Override
    public void forEachImageSince(String space, Instant since, Consumer<ImageRow> visitor) {
        table.forEachImageSince(space, since, visitor);
    }

    @Override
    public void forEachObservationSince(String space, Instant since, Consumer<ObservationRow> visitor) {
        table.forEachObservationSince(space, since, visitor);
    }

    @Override
    public void forEachObservationInSegment(String space, int segment, int segments, Consumer<ObservationRow> visitor) {
        table.forEachObservationInSegment(space, segment, segments, visitor);
    }

    @Override
    public Optional<ObservationRow> findObservation(String space, String observationId) {
        return table.findObservation(space, observationId);
    }

    @Override
    public List<ObservationRow> findObservations(String space, java.util.Collection<String> observationIds) {
        return table.findObservations(space, observationIds);
    }

    @Override
    public void putObservation(ObservationRow row) {
        table.putObservation(row);
    }

    @Override
    public boolean putFold(ObservationRow fold) {
        return table.putFold(fold);
    }

    @Override
    public int putPlacements(String space, Map<String, ObservationRow.Placement> placements, Instant now) {
        return table.putPlacements(space, placements, now);
    }

    @Override
    public void deleteImage(String space, String imageId) {
        table.deleteImage(space, imageId);
    }

    @Override
    public boolean deleteImageIfUnchanged(String space, String imageId, Instant updatedAt) {
        return table.deleteImageIfUnchanged(space, imageId, updatedAt);
    }

    @Override
    public TableStats stats(String space) {
        return table.stats(space);
    }

    @Override
    public void forEachImageStamp(String space, Consumer<RowStamps.Image> visitor) {
        table.forEachImageStamp(space, visitor);
    }

    @Override
    public void forEachFoldStamp(String space, Consumer<RowStamps.Fold> visitor) {
        table.forEachFoldStamp(space, visitor);
    }
}
