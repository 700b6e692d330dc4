package dev.viewfold.store;

/**
 * Counts for one embedding space: {@code images} encoded, {@code failed} images, and
 * {@code observations} that have at least one encoded view.
 */
public record TableStats(String space, long images, long failed, long observations) {
}
