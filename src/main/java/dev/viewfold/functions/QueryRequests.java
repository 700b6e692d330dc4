package dev.viewfold.functions;

import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.errors.Refused;
import dev.viewfold.search.Metric;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.SearchQuery;
import dev.viewfold.search.Target;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns the query fields the search, classify and duplicates requests share into the search
 * service's terms, refusing what cannot be one: exactly one source, options in range.
 */
final class QueryRequests {

    private QueryRequests() {
    }

    /** What a request is like: exactly one of its ways of saying so. */
    static SearchQuery.Source source(String image, List<String> imageList, String key, String imageId,
                                     String observationId, float[] vector, int maxImages) {
        return source(image, imageList, key, imageId, observationId, null, vector, maxImages, 0);
    }

    static SearchQuery.Source source(String image, List<String> imageList, String key, String imageId,
                                     String observationId, List<String> observationIds, float[] vector, int maxImages,
                                     int maxObservations) {
        List<String> given = new ArrayList<>();
        SearchQuery.Source source = null;
        if (image != null) {
            given.add("image");
            source = new SearchQuery.Images(List.of(base64("image", image)));
        }
        if (imageList != null) {
            given.add("images");
            source = images(imageList, maxImages);
        }
        if (key != null) {
            given.add("key");
            source = new SearchQuery.StoredKey(key);
        }
        if (imageId != null) {
            given.add("imageId");
            source = new SearchQuery.ImageId(imageId);
        }
        if (observationId != null) {
            given.add("observationId");
            source = new SearchQuery.ObservationId(observationId);
        }
        if (observationIds != null) {
            given.add("observationIds");
            if (observationIds.isEmpty() || observationIds.size() > maxObservations
                    || observationIds.stream().anyMatch(java.util.Objects::isNull)) {
                throw Refused.invalid("observationIds must hold between 1 and " + maxObservations + " ids (got "
                        + observationIds.size() + ")");
            }
            source = new SearchQuery.ObservationIds(List.copyOf(observationIds));
        }
        if (vector != null) {
            given.add("vector");
            source = new SearchQuery.Vector(vector);
        }
        if (given.size() != 1) {
            throw Refused.invalid("give exactly one of image, images, key, imageId, observationId"
                    + (maxObservations > 0 ? ", observationIds" : "") + " or vector"
                    + (given.isEmpty() ? "" : " (got " + String.join(", ", given) + ")"));
        }
        return source;
    }

    /** A search request as the service's query. */
    static SearchQuery query(SearchRequest r, ViewfoldConfig.Search limits) {
        return options(source(r.image(), r.images(), r.key(), r.imageId(), r.observationId(), r.observationIds(),
                        r.vector(), limits.maxImages(), limits.maxK()), r.k(), r.target(), r.metric(), r.filter(), r.excludeOwnObservation(),
                r.exact(), r.strategy(), limits);
    }

    /** The options every kind of query shares, checked. */
    static SearchQuery options(SearchQuery.Source source, Integer k, String target, String metric,
                               SearchRequest.Filter f, Boolean excludeOwn, Boolean exact, String strategy,
                               ViewfoldConfig.Search limits) {
        int maxK = limits.maxK();
        int hits = k == null ? 10 : k;
        if (hits < 1 || hits > maxK) {
            throw Refused.invalid("k must be between 1 and " + maxK + " (got " + hits + ")");
        }
        SearchFilter filter = f == null ? SearchFilter.NONE
                : SearchFilter.of(f.clusters(), f.labels(), f.minScore());
        if (filter.minScore() != null && !(filter.minScore() >= -1 && filter.minScore() <= 1)) { // NaN fails too
            throw Refused.invalid("filter.minScore is a cosine similarity, between -1 and 1 (got "
                    + filter.minScore() + ")");
        }
        return new SearchQuery(source, hits, target == null ? Target.OBSERVATIONS : Target.parse(target),
                metric == null ? Metric.COSINE : Metric.parse(metric), filter, Boolean.TRUE.equals(excludeOwn),
                Boolean.TRUE.equals(exact) ? SearchBackend.Mode.EXACT : SearchBackend.Mode.AUTO, strategy);
    }

    private static SearchQuery.Images images(List<String> encoded, int max) {
        if (encoded.isEmpty() || encoded.size() > max) {
            throw Refused.invalid("images must hold between 1 and " + max + " images (got " + encoded.size() + ")");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            out.add(base64("images[" + i + "]", encoded.get(i)));
        }
        return new SearchQuery.Images(out);
    }

    private static byte[] base64(String field, String value) {
        if (value == null) {
            throw Refused.invalid(field + " is null");
        }
        try {
            // Accept data URLs as browsers produce them.
            int comma = value.startsWith("data:") ? value.indexOf(',') : -1;
            String text = (comma >= 0 ? value.substring(comma + 1) : value).replaceAll("\\s", "");
            boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) { // the JDK's decoder says why in its own exception
            throw Refused.invalid(field + " is not valid base64: " + e.getMessage());
        }
    }
}
