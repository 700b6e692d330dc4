package dev.viewfold.store;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The vector table: image rows and observation rows, each keyed by embedding space.
 * Writes are upserts by key, so replaying an event is harmless.
 */
public interface VectorTable {

    Optional<ImageRow> findImage(String space, String imageId);

    /**
     * Inserts or replaces the row with the same {@code (space, imageId)}, unless the stored row came
     * from a newer S3 event (a larger sequencer).
     */
    default void putImage(ImageRow row) {
        putImages(List.of(row));
    }

    /**
     * Inserts or replaces several rows, in as few round trips as the adapter can.
     *
     * @return the rows written: those from events older than the stored row's are left out
     */
    List<ImageRow> putImages(List<ImageRow> rows);

    List<ImageRow> imagesOfObservation(String space, String observationId);

    /**
     * The rows of several observations of one space, by observation, each list in
     * {@link #imagesOfObservation}'s order (empty for an observation with no rows). Adapters that pay a
     * round trip per read serve them together: a stream batch refolds many observations at once.
     */
    default Map<String, List<ImageRow>> imagesOfObservations(String space, Collection<String> observationIds) {
        Map<String, List<ImageRow>> rows = new LinkedHashMap<>();
        for (String observationId : observationIds) {
            rows.put(observationId, imagesOfObservation(space, observationId));
        }
        return rows;
    }

    /** Visits every image row of a space, in no particular order. */
    default void forEachImage(String space, Consumer<ImageRow> visitor) {
        forEachImageSince(space, java.time.Instant.EPOCH, visitor);
    }

    /**
     * Visits the image rows of a space written at or after {@code since} ({@code updatedAt}), in no
     * particular order: what an index needs to catch up.
     */
    void forEachImageSince(String space, java.time.Instant since, Consumer<ImageRow> visitor);

    /** Visits the observation rows of a space written at or after {@code since}, in no particular order. */
    void forEachObservationSince(String space, java.time.Instant since, Consumer<ObservationRow> visitor);

    /**
     * Visits one of {@code segments} disjoint parts of a space's observation rows (together: all of
     * them), so that several workers can each take one. Adapters with a parallel scan use it; the
     * default splits by a hash of the observation id over one full read.
     */
    default void forEachObservationInSegment(String space, int segment, int segments, Consumer<ObservationRow> visitor) {
        if (segment < 0 || segment >= segments) {
            throw new IllegalArgumentException("segment " + segment + " of " + segments);
        }
        forEachObservationSince(space, java.time.Instant.EPOCH, row -> {
            if (Math.floorMod(row.observationId().hashCode(), segments) == segment) {
                visitor.accept(row);
            }
        });
    }

    Optional<ObservationRow> findObservation(String space, String observationId);

    /**
     * Several observation rows of one space, as stored: those that exist, in no particular order.
     * Adapters that pay a round trip per read serve them together.
     */
    default List<ObservationRow> findObservations(String space, Collection<String> observationIds) {
        List<ObservationRow> rows = new java.util.ArrayList<>(observationIds.size());
        for (String observationId : new java.util.LinkedHashSet<>(observationIds)) {
            findObservation(space, observationId).ifPresent(rows::add);
        }
        return rows;
    }

    /** Inserts or replaces the whole row. */
    void putObservation(ObservationRow row);

    /**
     * Writes a fold (vector, status, strategy, views, dispersion, explanation, input version),
     * keeping the row's cluster fields, unless the stored row was folded from a newer set of views
     * ({@code inputVersion} greater than this one's). Equal versions overwrite: a replay is harmless.
     *
     * @return false when a newer fold was already there and this one was dropped
     */
    boolean putFold(ObservationRow fold);

    /**
     * Writes several folds, each as {@link #putFold} would (its own version check); adapters that pay
     * a round trip per write send them at once. A decorator that adds to {@code putFold} gets this
     * default, which passes through it.
     *
     * @return in the folds' order, whether each was written
     */
    default List<Boolean> putFolds(List<ObservationRow> folds) {
        List<Boolean> written = new java.util.ArrayList<>(folds.size());
        for (ObservationRow fold : folds) {
            written.add(putFold(fold));
        }
        return written;
    }

    /**
     * Writes what a cluster run decided onto existing observation rows, and nothing else of them (a
     * fold racing the run keeps its vector); {@code updatedAt} becomes {@code now}, so search indexes
     * pick up the new cluster ids. Rows deleted meanwhile are not re-created.
     *
     * @return how many rows were updated
     */
    int putPlacements(String space, java.util.Map<String, ObservationRow.Placement> placements, java.time.Instant now);

    /** Removes an image row (its object was deleted); absent rows are fine. */
    void deleteImage(String space, String imageId);

    /**
     * Removes an image row only if it is still the one that was read (same {@code updatedAt}):
     * a row rewritten meanwhile (the object re-uploaded) stays.
     *
     * @return whether a row was removed
     */
    boolean deleteImageIfUnchanged(String space, String imageId, java.time.Instant updatedAt);

    TableStats stats(String space);

    /**
     * Visits every image row of a space as a stamp (no vector). Adapters read less than
     * {@link #forEachImage} here; this default reads whole rows.
     */
    default void forEachImageStamp(String space, Consumer<RowStamps.Image> visitor) {
        forEachImage(space, r -> visitor.accept(new RowStamps.Image(r.imageId(), r.observationId(), r.status(),
                r.updatedAt(), r.labels())));
    }

    /** Visits every observation row of a space as the stamp of its fold (no vector). */
    default void forEachFoldStamp(String space, Consumer<RowStamps.Fold> visitor) {
        forEachObservationSince(space, java.time.Instant.EPOCH, r -> visitor.accept(new RowStamps.Fold(
                r.observationId(), r.status(), r.inputVersion(),
                r.views().stream().map(ObservationRow.ViewScore::imageId).collect(java.util.stream.Collectors.toSet()),
                r.labels(), r.strategy(), RowStamps.Fold.kept(r.views()))));
    }
}
