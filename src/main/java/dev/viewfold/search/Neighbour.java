package dev.viewfold.search;

/**
 * One result of an index search.
 *
 * @param entry    the row found
 * @param score    cosine similarity with the query (1: same direction)
 * @param distance in the metric asked for
 */
public record Neighbour(IndexEntry entry, float score, float distance) {
}
