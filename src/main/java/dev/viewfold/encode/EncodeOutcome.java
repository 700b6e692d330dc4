package dev.viewfold.encode;

/** What encoding one object did. {@code reason} says why it failed or was missing. */
public record EncodeOutcome(String imageId, String observationId, String viewId, Kind kind, String reason) {

    public enum Kind {
        /** A new or changed image was embedded and its row written. */
        ENCODED,
        /** The row already holds this content in this space: nothing was done. */
        UNCHANGED,
        /** The image is unchanged but its labels are new: its row was rewritten without encoding. */
        RELABELLED,
        /** The image could not be encoded; a failed row says why (none for a key no row can name). */
        FAILED,
        /** The object was gone when read (deleted after its event); no row was written. */
        MISSING,
        /** The object was deleted: its row was removed. */
        REMOVED
    }
}
