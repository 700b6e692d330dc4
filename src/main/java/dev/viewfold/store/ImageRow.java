package dev.viewfold.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One encoded (or failed) image in one embedding space. Keyed by {@code (space, imageId)}: encoding
 * the same object again overwrites its row, so redelivered events leave one row.
 *
 * @param imageId       the object's location, {@code s3://bucket/key} or {@code file:/abs/path}
 * @param space         the embedding space the vector belongs to; vectors of two spaces are never compared
 * @param observationId the observation this image is a view of
 * @param viewId        the view within the observation
 * @param status        {@code ok} with a vector, or {@code failed} with a reason
 * @param error         why encoding failed, for a person to read; null when ok
 * @param contentHash   SHA-256 of the object's bytes, hex: unchanged content is not encoded twice
 * @param vector        L2-normalised embedding; null when failed
 * @param sequencer     the S3 event's sequencer for the object version encoded (padded so that
 *                      strings compare as S3 orders events), or null (local files): a write from an
 *                      older event never replaces a row from a newer one
 * @param labels        the groups the image belongs to (from the ingest manifest, the object's metadata
 *                      or the labels function); its observation carries the union of its views'
 */
public record ImageRow(
        String imageId,
        String space,
        String observationId,
        String viewId,
        RowStatus status,
        String error,
        String contentHash,
        float[] vector,
        Instant createdAt,
        Instant updatedAt,
        String sequencer,
        Set<String> labels) {

    public ImageRow(String imageId, String space, String observationId, String viewId, RowStatus status, String error,
                    String contentHash, float[] vector, Instant createdAt, Instant updatedAt) {
        this(imageId, space, observationId, viewId, status, error, contentHash, vector, createdAt, updatedAt, null,
                Set.of());
    }

    public ImageRow(String imageId, String space, String observationId, String viewId, RowStatus status, String error,
                    String contentHash, float[] vector, Instant createdAt, Instant updatedAt, String sequencer) {
        this(imageId, space, observationId, viewId, status, error, contentHash, vector, createdAt, updatedAt, sequencer,
                Set.of());
    }

    public ImageRow {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(observationId, "observationId");
        Objects.requireNonNull(status, "status");
        labels = Labels.copyOf(labels);
        if (status == RowStatus.OK && vector == null) {
            throw new IllegalArgumentException("an ok row needs a vector: " + imageId);
        }
        if (status == RowStatus.FAILED && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("a failed row needs a reason: " + imageId);
        }
    }

    public static ImageRow ok(String imageId, String space, String observationId, String viewId,
                              String contentHash, float[] vector, Instant now) {
        return new ImageRow(imageId, space, observationId, viewId, RowStatus.OK, null, contentHash, vector, now, now);
    }

    public static ImageRow failed(String imageId, String space, String observationId, String viewId,
                                  String contentHash, String reason, Instant now) {
        return new ImageRow(imageId, space, observationId, viewId, RowStatus.FAILED, reason, contentHash, null, now, now);
    }

    /** Same row, keeping the creation time of the row it replaces. */
    public ImageRow replacing(ImageRow previous) {
        return previous == null ? this
                : new ImageRow(imageId, space, observationId, viewId, status, error, contentHash, vector,
                        previous.createdAt(), updatedAt, sequencer, labels);
    }

    /** Same row, from the S3 event with this sequencer. */
    public ImageRow fromEvent(String eventSequencer) {
        return new ImageRow(imageId, space, observationId, viewId, status, error, contentHash, vector, createdAt,
                updatedAt, Sequencers.comparable(eventSequencer), labels);
    }

    /** Same row with these labels. */
    public ImageRow withLabels(Set<String> newLabels) {
        return new ImageRow(imageId, space, observationId, viewId, status, error, contentHash, vector, createdAt,
                updatedAt, sequencer, newLabels);
    }

    /** Same row, written again at {@code now} (a relabel, a move): triggers and indexes see the change. */
    public ImageRow touched(Instant now) {
        return new ImageRow(imageId, space, observationId, viewId, status, error, contentHash, vector, createdAt,
                now, sequencer, labels);
    }

    /** The same image in another space (a head's), with its vector there. */
    public ImageRow inSpace(String otherSpace, float[] otherVector) {
        return new ImageRow(imageId, otherSpace, observationId, viewId, status, error, contentHash, otherVector,
                createdAt, updatedAt, sequencer, labels);
    }

    /** Whether a write from an event with this (comparable) sequencer is older than this row. */
    public boolean newerThan(String eventSequencer) {
        return sequencer != null && eventSequencer != null && sequencer.compareTo(eventSequencer) > 0;
    }

    public boolean isOk() {
        return status == RowStatus.OK;
    }
}
