package dev.viewfold.functions;

/**
 * The body of {@code POST /duplicates}: one of {@code image} (base64), {@code key} or
 * {@code imageId} asks "is this already here?"; none asks for every group in the collection.
 *
 * @param threshold cosine similarity from which two rows count as near-duplicates (default: configured)
 * @param target    {@code images} (default) or {@code observations}
 * @param limit     most matches or groups returned (default 100)
 */
public record DuplicatesRequest(String image, String key, String imageId, Float threshold, String target, Integer limit) {
}
