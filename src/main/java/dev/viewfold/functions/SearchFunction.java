package dev.viewfold.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.search.IndexCatalog;
import dev.viewfold.search.Metric;
import dev.viewfold.search.QueryException;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.SearchIndex;
import dev.viewfold.search.SearchQuery;
import dev.viewfold.search.SearchResult;
import dev.viewfold.search.SearchSpaces;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** {@code search}: similarity search over HTTP ({@code POST /search}, JSON in and out). */
@RegisterForReflection(targets = {SearchRequest.class, SearchRequest.Filter.class, SearchResponse.class,
        SearchResult.Hit.class})
public class SearchFunction {

    @Inject
    SearchSpaces spaces;

    @Inject
    ObjectMapper json;

    @Inject
    ViewfoldConfig config;

    @Funq("search")
    public SearchResponse search(JsonNode body) {
        SearchRequest request = RequestBodies.bind(json, body, SearchRequest.class);
        return run(request.space(), toQuery(request));
    }

    SearchResponse run(SearchQuery query) {
        return run(null, query);
    }

    /** Runs a query in a space (null: the deployment's), turning the service's complaints into client errors. */
    SearchResponse run(String space, SearchQuery query) {
        long started = System.nanoTime();
        try {
            SearchResult r = spaces.of(space).search(query);
            return new SearchResponse(r.space(), r.target(), r.metric(), r.approximate() ? "approximate" : "exact",
                    r.indexed(), (System.nanoTime() - started) / 1e6, r.ownObservation(), r.hits());
        } catch (QueryException e) {
            throw BadRequest.of(e);
        }
    }

    SearchQuery toQuery(SearchRequest r) {
        return options(source(r.image(), r.images(), r.key(), r.imageId(), r.observationId(), r.vector()), r.k(),
                r.target(), r.metric(), r.filter(), r.excludeOwnObservation(), r.exact(), r.strategy());
    }

    /** What a request is like: exactly one of its six ways of saying so. */
    SearchQuery.Source source(String image, List<String> imageList, String key, String imageId,
                                     String observationId, float[] vector) {
        List<String> given = new ArrayList<>();
        SearchQuery.Source source = null;
        if (image != null) {
            given.add("image");
            source = new SearchQuery.Images(List.of(base64("image", image)));
        }
        if (imageList != null) {
            given.add("images");
            source = images(imageList);
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
        if (vector != null) {
            given.add("vector");
            source = new SearchQuery.Vector(vector);
        }
        if (given.size() != 1) {
            throw new BadRequest("give exactly one of image, images, key, imageId, observationId or vector"
                    + (given.isEmpty() ? "" : " (got " + String.join(", ", given) + ")"));
        }
        return source;
    }

    /** The options every kind of query shares, checked. */
    SearchQuery options(SearchQuery.Source source, Integer k, String target, String metric, SearchRequest.Filter f,
                        Boolean excludeOwn, Boolean exact, String strategy) {
        int maxK = config.search().maxK();
        int hits = k == null ? 10 : k;
        if (hits < 1 || hits > maxK) {
            throw new BadRequest("k must be between 1 and " + maxK + " (got " + hits + ")");
        }
        try {
            SearchFilter filter = f == null ? SearchFilter.NONE
                    : new SearchFilter(f.clusters() == null ? Set.of() : Set.copyOf(f.clusters()),
                            f.labels() == null ? Set.of() : Set.copyOf(f.labels()), null, f.minScore());
            if (filter.minScore() != null && !(filter.minScore() >= -1 && filter.minScore() <= 1)) { // NaN fails too
                throw new BadRequest("filter.minScore is a cosine similarity, between -1 and 1 (got "
                        + filter.minScore() + ")");
            }
            return new SearchQuery(source, hits,
                    target == null ? IndexCatalog.Target.OBSERVATIONS : IndexCatalog.Target.parse(target),
                    metric == null ? Metric.COSINE : Metric.parse(metric), filter,
                    Boolean.TRUE.equals(excludeOwn), Boolean.TRUE.equals(exact) ? SearchIndex.Mode.EXACT : SearchIndex.Mode.AUTO,
                    strategy);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BadRequest(e instanceof NullPointerException ? "filter lists may not hold null" : e.getMessage());
        }
    }

    private SearchQuery.Images images(List<String> encoded) {
        int max = config.search().maxImages();
        if (encoded.isEmpty() || encoded.size() > max) {
            throw new BadRequest("images must hold between 1 and " + max + " images (got " + encoded.size() + ")");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            out.add(base64("images[" + i + "]", encoded.get(i)));
        }
        return new SearchQuery.Images(out);
    }

    private static byte[] base64(String field, String value) {
        if (value == null) {
            throw new BadRequest(field + " is null");
        }
        try {
            // Accept data URLs as browsers produce them.
            int comma = value.startsWith("data:") ? value.indexOf(',') : -1;
            String text = (comma >= 0 ? value.substring(comma + 1) : value).replaceAll("\\s", "");
            boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field + " is not valid base64: " + e.getMessage());
        }
    }
}
