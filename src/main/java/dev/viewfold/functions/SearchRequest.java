package dev.viewfold.functions;

import java.util.List;

/**
 * The body of {@code POST /search}. Exactly one of {@code image}, {@code images}, {@code key},
 * {@code imageId}, {@code observationId} and {@code vector} says what to search like.
 *
 * @param image          one image, base64
 * @param images         several images of one thing, base64, folded into one query with {@code strategy}
 * @param key            an object in the uploads bucket
 * @param imageId        a stored image ({@code s3://bucket/key} or {@code file:…})
 * @param observationId  a stored observation
 * @param observationIds several stored observations (a selection on the map), folded into one query with
 *                       {@code strategy}
 * @param vector         a raw vector of the space's dimension
 * @param k              hits wanted (default 10)
 * @param target         {@code observations} (default) or {@code images}
 * @param metric         {@code cosine} (default) or {@code euclidean}
 * @param filter         which rows may be returned
 * @param excludeOwnObservation leave out the observation the query comes from (default false)
 * @param exact          force the exact scan (default: the graph answers once the index is large)
 * @param strategy       how {@code images} are folded (default: the deployment's aggregation strategy)
 * @param space          the embedding space to search (default: the deployment's model; a trained head's
 *                       space, {@code <model space>+head@<digest>}, searches the projected vectors)
 */
public record SearchRequest(String image, List<String> images, String key, String imageId, String observationId,
                            List<String> observationIds, float[] vector, Integer k, String target, String metric, Filter filter,
                            Boolean excludeOwnObservation, Boolean exact, String strategy, String space) {

    /**
     * @param clusters only these cluster ids
     * @param labels   only rows with one of these labels
     * @param minScore only hits with at least this cosine similarity
     */
    public record Filter(List<String> clusters, List<String> labels, Float minScore) {
    }
}
