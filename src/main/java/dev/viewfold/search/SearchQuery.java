package dev.viewfold.search;

import java.util.List;

/**
 * One search, as the service understands it.
 *
 * @param source     what to search like
 * @param k          how many hits at most
 * @param excludeOwn leave out the observation the query comes from (an id, a stored key)
 * @param strategy   how several query images are folded into one (null: the configured default)
 */
public record SearchQuery(Source source, int k, Target target, Metric metric, SearchFilter filter,
                          boolean excludeOwn, SearchBackend.Mode mode, String strategy) {

    /** What a search is like. */
    public sealed interface Source permits Images, StoredKey, ImageId, ObservationId, ObservationIds, Vector {
    }

    /** One or more images sent with the request. */
    public record Images(List<byte[]> images) implements Source {
    }

    /** An object already in the uploads bucket. */
    public record StoredKey(String key) implements Source {
    }

    public record ImageId(String id) implements Source {
    }

    public record ObservationId(String id) implements Source {
    }

    /** Several stored observations as one query (a selection on the map), folded like several images. */
    public record ObservationIds(List<String> ids) implements Source {
    }

    public record Vector(float[] values) implements Source {
    }
}
