package dev.viewfold.search;

import java.time.Instant;
import java.util.Set;

/**
 * What the index knows of a row besides its vector: enough to filter and to describe a hit
 * without reading the table.
 *
 * @param id            image id ({@code s3://…}, {@code file:…}) or observation id
 * @param observationId the observation (for an observation row, its own id)
 * @param clusterId     the last cluster run's id, or null (noise, or never clustered)
 * @param labels        the observation's group labels, possibly empty
 * @param updatedAt     the row's last write: a refresh skips rows it already holds
 */
public record IndexEntry(String id, String observationId, String clusterId, Set<String> labels, Instant updatedAt) {

    public IndexEntry {
        labels = labels == null ? Set.of() : Set.copyOf(labels);
    }
}
