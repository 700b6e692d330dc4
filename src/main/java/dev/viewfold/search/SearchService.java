package dev.viewfold.search;

import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.FoldStrategy;
import dev.viewfold.aggregate.View;
import dev.viewfold.encode.BadImageException;
import dev.viewfold.store.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Answers searches: turns the query (images, a stored key, an id or a vector) into a vector of the
 * index's space, searches the images or the observations, and describes each hit.
 */
public final class SearchService {

    private final IndexCatalog catalog;
    private final QueryEncoder encoder;
    private final ObjectStore uploads;
    private final long maxImageBytes;
    private final FoldStrategies strategies;
    private final ImageLinks links;

    public SearchService(IndexCatalog catalog, QueryEncoder encoder, ObjectStore uploads, long maxImageBytes,
                         FoldStrategies strategies, ImageLinks links) {
        this.catalog = catalog;
        this.encoder = encoder;
        this.uploads = uploads;
        this.maxImageBytes = maxImageBytes;
        this.strategies = strategies;
        this.links = links;
    }

    public IndexCatalog catalog() {
        return catalog;
    }

    public SearchResult search(SearchQuery q) {
        Resolved query = vectorOf(q.source(), q.strategy());
        SearchIndex index = catalog.index(q.target());
        SearchFilter filter = q.filter();
        if (q.excludeOwn() && query.observation != null) {
            filter = new SearchFilter(filter.clusterIds(), filter.labels(), query.observation, filter.minScore());
        }
        boolean approximate = q.mode() != SearchIndex.Mode.EXACT && index.approximate();
        List<Neighbour> found = index.search(query.vector, q.k(), q.metric(), filter, q.mode());
        SearchIndex images = q.target() == IndexCatalog.Target.OBSERVATIONS ? catalog.index(IndexCatalog.Target.IMAGES) : null;
        List<SearchResult.Hit> hits = new ArrayList<>(found.size());
        for (Neighbour n : found) {
            String bestView = images == null ? n.entry().id() : bestView(images, n.entry().id(), query.vector);
            hits.add(new SearchResult.Hit(n.entry().id(), n.score(), n.distance(), n.entry().observationId(), bestView,
                    n.entry().clusterId(), bestView == null ? null : links.link(bestView), n.entry().labels()));
        }
        return new SearchResult(catalog.space(), q.target().name().toLowerCase(Locale.ROOT),
                q.metric().name().toLowerCase(Locale.ROOT), approximate, index.size(), query.observation, hits);
    }

    /** The view of an observation most like the query: what a person wants to see next to the hit. */
    private static String bestView(SearchIndex images, String observationId, float[] query) {
        String best = null;
        float bestDot = Float.NEGATIVE_INFINITY;
        for (String id : images.idsOfObservation(observationId)) {
            float dot = images.dot(id, query);
            if (dot > bestDot) {
                bestDot = dot;
                best = id;
            }
        }
        return best;
    }

    /** A query as a vector of this space, and the stored observation it comes from (or null). */
    public record Resolved(float[] vector, String observation) {
    }

    /**
     * The vector of a query in this space: images are encoded (and folded with {@code strategy}),
     * stored rows are looked up, a raw vector is checked.
     */
    public Resolved vectorOf(SearchQuery.Source source, String strategy) {
        FoldStrategy fold = strategy(strategy);
        if (source instanceof SearchQuery.Images images) {
            return new Resolved(embedAll(images.images(), fold), null);
        }
        if (source instanceof SearchQuery.StoredKey key) {
            return fromStoredKey(key.key());
        }
        if (source instanceof SearchQuery.ImageId id) {
            SearchIndex images = catalog.index(IndexCatalog.Target.IMAGES);
            float[] v = images.vector(id.id()).orElseThrow(() -> QueryException.notFound(
                    "no image with id '" + id.id() + "' in space " + catalog.space()));
            return new Resolved(v, images.entry(id.id()).map(IndexEntry::observationId).orElse(null));
        }
        if (source instanceof SearchQuery.ObservationId id) {
            float[] v = catalog.index(IndexCatalog.Target.OBSERVATIONS).vector(id.id())
                    .orElseThrow(() -> QueryException.notFound("no observation with id '" + id.id()
                            + "' in space " + catalog.space()));
            return new Resolved(v, id.id());
        }
        return new Resolved(checkVector(((SearchQuery.Vector) source).values()), null);
    }

    private Resolved fromStoredKey(String key) {
        // Checked here for every store: S3 would answer a key outside the readable prefixes with a 403.
        if (key.isEmpty() || key.startsWith("/") || key.indexOf('\0') >= 0
                || java.util.Arrays.asList(key.split("/")).contains("..")) {
            throw QueryException.invalid("key '" + key + "' is not an object key of the uploads bucket: a key is"
                    + " a path inside the bucket, such as images/mug/front.jpg");
        }
        byte[] bytes;
        try {
            bytes = uploads.get(key, maxImageBytes).bytes();
        } catch (ObjectStore.ObjectNotFoundException e) {
            throw QueryException.notFound("no object with key '" + key + "' in the uploads bucket");
        } catch (ObjectStore.ObjectTooLargeException e) {
            throw new QueryException(QueryException.Kind.TOO_LARGE, "object '" + key + "' is " + e.size
                    + " bytes, over the " + maxImageBytes + "-byte image limit");
        } catch (IllegalArgumentException e) { // a key the store cannot hold, e.g. one leaving its folder
            throw QueryException.invalid("key '" + key + "' is not an object key of the uploads bucket: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String imageId = uploads.uri(key);
        String observation = catalog.index(IndexCatalog.Target.IMAGES).entry(imageId)
                .map(IndexEntry::observationId).orElse(null);
        return new Resolved(embed(bytes, "key '" + key + "'"), observation);
    }

    /** The named fold (null: the deployment's), checked even when one view leaves nothing to fold. */
    private FoldStrategy strategy(String name) {
        try {
            return name == null ? strategies.defaultStrategy() : strategies.get(name);
        } catch (IllegalArgumentException e) {
            throw QueryException.invalid(e.getMessage());
        }
    }

    private float[] embedAll(List<byte[]> images, FoldStrategy fold) {
        if (images.size() == 1) {
            return embed(images.get(0), "image");
        }
        List<View> views = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            views.add(new View("query:" + i, Integer.toString(i), embed(images.get(i), "images[" + i + "]")));
        }
        try {
            return fold.fold(views).vector();
        } catch (IllegalArgumentException e) {
            throw QueryException.invalid(e.getMessage());
        }
    }

    private float[] embed(byte[] bytes, String what) {
        if (bytes.length > maxImageBytes) {
            throw new QueryException(QueryException.Kind.TOO_LARGE, what + " is " + bytes.length
                    + " bytes, over the " + maxImageBytes + "-byte image limit");
        }
        try {
            return encoder.embed(bytes);
        } catch (BadImageException e) {
            throw QueryException.invalid(what + " cannot be used: " + e.getMessage());
        }
    }

    private float[] checkVector(float[] v) {
        int dimension = catalog.index(IndexCatalog.Target.OBSERVATIONS).dimension();
        if (v.length != dimension) {
            throw QueryException.invalid("vector has " + v.length + " values; space " + catalog.space() + " has "
                    + dimension + " dimensions");
        }
        double norm = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw QueryException.invalid("vector holds a value that is not a finite number");
            }
            norm += (double) x * x; // in double: float squares vanish below 1e-23 and overflow past 1e19
        }
        if (norm == 0) {
            throw QueryException.invalid("vector is all zeros: it has no direction to search in");
        }
        return v;
    }
}
