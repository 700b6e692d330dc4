package dev.viewfold.search;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The port a search engine fills for one space: the rows of both targets, kept in step with the
 * vector table, searchable by vector. {@link SearchService} turns requests into calls of this;
 * adapters hold the rows wherever they like (in process: {@code search.memory}).
 */
public interface SearchBackend {

    /** How a search is answered: as the backend sees fit, by an exact scan, or through its approximate index. */
    enum Mode { AUTO, EXACT, APPROXIMATE }

    /**
     * The hits of one search, best first, and whether an approximate index answered (false: every
     * row that passed the filter was scored).
     */
    record Found(List<Neighbour> neighbours, boolean approximate) {
    }

    /** The space's id, as rows name it. */
    String space();

    int dimension();

    /** Live rows of a target. */
    int size(Target target);

    /**
     * The {@code k} rows nearest {@code query} that pass the filter, best first.
     *
     * @param query {@link #dimension()} long, any length but zero; not modified
     */
    Found search(Target target, float[] query, int k, Metric metric, SearchFilter filter, Mode mode);

    Optional<IndexEntry> entry(Target target, String id);

    /** A copy of a row's vector. */
    Optional<float[]> vector(Target target, String id);

    /** The image of an observation whose vector is most like {@code query}: what to show beside a hit. */
    Optional<String> bestView(String observationId, float[] query);

    /** Visits every live row of a target with a copy of its vector (export, whole-collection duplicates). */
    void forEach(Target target, BiConsumer<IndexEntry, float[]> visitor);
}
