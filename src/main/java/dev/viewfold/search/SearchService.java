package dev.viewfold.search;

import dev.viewfold.errors.Refused;
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

    private final SearchBackend backend;
    private final QueryEncoder encoder;
    private final ObjectStore uploads;
    private final long maxImageBytes;
    private final FoldStrategies strategies;
    private final ImageLinks links;

    public SearchService(SearchBackend backend, QueryEncoder encoder, ObjectStore uploads, long maxImageBytes,
                         FoldStrategies strategies, ImageLinks links) {
        this.backend = backend;
        this.encoder = encoder;
        this.uploads = uploads;
        this.maxImageBytes = maxImageBytes;
        this.strategies = strategies;
        this.links = links;
    }

    public SearchBackend backend() {
        return backend;
    }

    /** The space this service searches. */
    public String space() {
        return backend.space();
    }

    public SearchResult search(SearchQuery q) {
        Resolved query = vectorOf(q.source(), q.strategy());
        SearchFilter filter = q.filter();
        if (q.excludeOwn() && query.observation != null) {
            filter = new SearchFilter(filter.clusterIds(), filter.labels(), query.observation, filter.minScore());
        }
        // A selection's own members are left out by asking for that many more and dropping them.
        java.util.Set<String> selection = q.excludeOwn() && q.source() instanceof SearchQuery.ObservationIds ids
                && ids.ids().size() > 1 ? java.util.Set.copyOf(ids.ids()) : java.util.Set.of();
        SearchBackend.Found found = backend.search(q.target(), query.vector, q.k() + selection.size(), q.metric(),
                filter, q.mode());
        List<SearchResult.Hit> hits = new ArrayList<>(Math.min(q.k(), found.neighbours().size()));
        for (Neighbour n : found.neighbours()) {
            if (hits.size() == q.k()) {
                break;
            }
            if (selection.contains(n.entry().observationId())) {
                continue;
            }
            String bestView = q.target() == Target.IMAGES ? n.entry().id()
                    : backend.bestView(n.entry().id(), query.vector).orElse(null);
            hits.add(new SearchResult.Hit(n.entry().id(), n.score(), n.distance(), n.entry().observationId(), bestView,
                    n.entry().clusterId(), bestView == null ? null : links.link(bestView), n.entry().labels()));
        }
        return new SearchResult(backend.space(), q.target().wire(), q.metric().name().toLowerCase(Locale.ROOT),
                found.approximate(), backend.size(q.target()), query.observation, hits);
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
            float[] v = backend.vector(Target.IMAGES, id.id()).orElseThrow(() -> Refused.notFound(
                    "no image with id '" + Refused.echo(id.id()) + "' in space " + backend.space()));
            return new Resolved(v, backend.entry(Target.IMAGES, id.id()).map(IndexEntry::observationId).orElse(null));
        }
        if (source instanceof SearchQuery.ObservationId id) {
            float[] v = backend.vector(Target.OBSERVATIONS, id.id())
                    .orElseThrow(() -> Refused.notFound("no observation with id '" + Refused.echo(id.id())
                            + "' in space " + backend.space()));
            return new Resolved(v, id.id());
        }
        if (source instanceof SearchQuery.ObservationIds ids) {
            List<View> views = new ArrayList<>();
            for (String id : ids.ids()) {
                float[] v = backend.vector(Target.OBSERVATIONS, id).orElseThrow(() -> Refused.notFound(
                        "no observation with id '" + Refused.echo(id) + "' in space " + backend.space()));
                views.add(new View(id, id, v));
            }
            return new Resolved(views.size() == 1 ? views.get(0).vector() : fold.fold(views).vector(),
                    views.size() == 1 ? ids.ids().get(0) : null);
        }
        return new Resolved(checkVector(((SearchQuery.Vector) source).values()), null);
    }

    private Resolved fromStoredKey(String key) {
        // Checked here for every store: S3 would answer a key outside the readable prefixes with a 403.
        if (key.isEmpty() || key.startsWith("/") || key.indexOf('\0') >= 0
                || java.util.Arrays.asList(key.split("/")).contains("..")) {
            throw Refused.invalid("key '" + Refused.echo(key) + "' is not an object key of the uploads bucket: a key is"
                    + " a path inside the bucket, such as images/mug/front.jpg");
        }
        byte[] bytes;
        try {
            bytes = uploads.get(key, maxImageBytes).bytes();
        } catch (ObjectStore.ObjectNotFoundException e) {
            throw Refused.notFound("no object with key '" + Refused.echo(key) + "' in the uploads bucket");
        } catch (ObjectStore.ObjectTooLargeException e) {
            throw Refused.tooLarge("object '" + Refused.echo(key) + "' is " + e.size
                    + " bytes, over the " + maxImageBytes + "-byte image limit");
        } catch (IllegalArgumentException e) { // a key the store cannot hold, e.g. one leaving its folder
            throw Refused.invalid("key '" + Refused.echo(key) + "' is not an object key of the uploads bucket: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String imageId = uploads.uri(key);
        String observation = backend.entry(Target.IMAGES, imageId).map(IndexEntry::observationId).orElse(null);
        return new Resolved(embed(bytes, "key '" + Refused.echo(key) + "'"), observation);
    }

    /** The named fold (null: the deployment's), checked even when one view leaves nothing to fold. */
    private FoldStrategy strategy(String name) {
        return name == null ? strategies.defaultStrategy() : strategies.get(name);
    }

    private float[] embedAll(List<byte[]> images, FoldStrategy fold) {
        if (images.size() == 1) {
            return embed(images.get(0), "image");
        }
        List<View> views = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            views.add(new View("query:" + i, Integer.toString(i), embed(images.get(i), "images[" + i + "]")));
        }
        return fold.fold(views).vector();
    }

    private float[] embed(byte[] bytes, String what) {
        if (bytes.length > maxImageBytes) {
            throw Refused.tooLarge(what + " is " + bytes.length
                    + " bytes, over the " + maxImageBytes + "-byte image limit");
        }
        try {
            return encoder.embed(bytes);
        } catch (BadImageException e) {
            throw Refused.invalid(what + " cannot be used: " + e.getMessage());
        }
    }

    private float[] checkVector(float[] v) {
        int dimension = backend.dimension();
        if (v.length != dimension) {
            throw Refused.invalid("vector has " + v.length + " values; space " + backend.space() + " has "
                    + dimension + " dimensions");
        }
        double norm = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw Refused.invalid("vector holds a value that is not a finite number");
            }
            norm += (double) x * x; // in double: float squares vanish below 1e-23 and overflow past 1e19
        }
        if (norm == 0) {
            throw Refused.invalid("vector is all zeros: it has no direction to search in");
        }
        return v;
    }
}
