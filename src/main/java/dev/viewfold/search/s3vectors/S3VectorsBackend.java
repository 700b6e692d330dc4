package dev.viewfold.search.s3vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.errors.Refused;
import dev.viewfold.search.IndexEntry;
import dev.viewfold.search.Metric;
import dev.viewfold.search.Neighbour;
import dev.viewfold.search.SearchBackend;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.Target;
import dev.viewfold.store.VectorTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

/**
 * A space's rows searched in Amazon S3 Vectors: one cosine index per target (the images one
 * possibly sharded, each shard asked and the answers merged). The index is kept in step by
 * {@link IndexedVectorTable}; this side only reads. What the service cannot do is refused in words:
 * more than 100 hits (its topK limit) and an exact scan (its search is approximate).
 */
public final class S3VectorsBackend implements SearchBackend {

    private final S3VectorsApi api;
    private final IndexNames names;
    private final String space;
    private final IntSupplier dimension;
    private final VectorTable table;
    private final ObjectMapper json;
    /** Shards and best views are asked in parallel: each is a round trip of tens of milliseconds. */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "s3vectors-call");
        t.setDaemon(true);
        return t;
    });

    public S3VectorsBackend(S3VectorsApi api, IndexNames names, String space, IntSupplier dimension,
                            VectorTable table, ObjectMapper json) {
        this.api = api;
        this.names = names;
        this.space = space;
        this.dimension = dimension;
        this.table = table;
        this.json = json;
    }

    @Override
    public String space() {
        return space;
    }

    @Override
    public int dimension() {
        return dimension.getAsInt();
    }

    /** From the table's counts: the service keeps none a search could ask for cheaply. */
    @Override
    public int size(Target target) {
        var stats = table.stats(space);
        return (int) Math.min(Integer.MAX_VALUE, target == Target.IMAGES ? stats.images() : stats.observations());
    }

    @Override
    public Found search(Target target, float[] query, int k, Metric metric, SearchFilter filter, Mode mode) {
        if (k > S3VectorsApi.MAX_TOP_K) {
            throw Refused.invalid("k is at most " + S3VectorsApi.MAX_TOP_K + " with the s3vectors search backend"
                    + " (S3 Vectors' topK limit), got " + k);
        }
        if (mode == Mode.EXACT) {
            throw Refused.invalid("exact: the s3vectors search backend answers from S3 Vectors' approximate index"
                    + " and cannot force an exact scan (the memory backend can)");
        }
        if (query.length != dimension()) {
            throw Refused.invalid("vector has " + query.length + " values; space " + space + " has " + dimension());
        }
        double norm2 = 0;
        for (float x : query) {
            norm2 += (double) x * x;
        }
        if (norm2 == 0) {
            throw Refused.invalid("the query vector is all zeros: it has no direction to compare");
        }
        JsonNode where = filter(filter);
        List<S3VectorsApi.Hit> hits = new ArrayList<>();
        List<Future<List<S3VectorsApi.Hit>>> asked = new ArrayList<>();
        for (String index : names.of(space, target)) {
            asked.add(CALLS.submit(() -> queryOrEmpty(index, query, k, where)));
        }
        for (Future<List<S3VectorsApi.Hit>> f : asked) {
            hits.addAll(join(f));
        }
        hits.sort(Comparator.comparingDouble(S3VectorsApi.Hit::distance).thenComparing(S3VectorsApi.Hit::key));
        List<Neighbour> out = new ArrayList<>(Math.min(k, hits.size()));
        double length = Math.sqrt(norm2);
        for (S3VectorsApi.Hit h : hits) {
            if (out.size() == k) {
                break;
            }
            float score = (float) (1 - h.distance());
            if (filter.minScore() != null && score < filter.minScore()) {
                continue;
            }
            out.add(new Neighbour(IndexItems.entry(h.key(), h.metadata()), score,
                    metric.distance((float) (score * length), norm2)));
        }
        return new Found(out, true);
    }

    /** A space whose index was never written has no rows to find (a head before its first re-projection). */
    private List<S3VectorsApi.Hit> queryOrEmpty(String index, float[] query, int k, JsonNode where) {
        try {
            return api.query(index, query, k, where);
        } catch (S3VectorsApi.Failure e) {
            if (e.notFound()) {
                return List.of();
            }
            throw e;
        }
    }

    /** The filter in S3 Vectors' metadata-filter language (null: none). */
    JsonNode filter(SearchFilter f) {
        List<ObjectNode> all = new ArrayList<>();
        if (!f.clusterIds().isEmpty()) {
            all.add(in(IndexItems.CLUSTER, f.clusterIds()));
        }
        if (!f.labels().isEmpty()) {
            all.add(in(IndexItems.LABELS, f.labels()));
        }
        if (f.excludeObservation() != null) {
            ObjectNode ne = json.createObjectNode();
            ne.putObject(IndexItems.OBSERVATION).put("$ne", f.excludeObservation());
            all.add(ne);
        }
        if (all.isEmpty()) {
            return null;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        ObjectNode and = json.createObjectNode();
        ArrayNode list = and.putArray("$and");
        all.forEach(list::add);
        return and;
    }

    private ObjectNode in(String key, java.util.Set<String> values) {
        ObjectNode node = json.createObjectNode();
        ArrayNode list = node.putObject(key).putArray("$in");
        values.stream().sorted().forEach(list::add);
        return node;
    }

    @Override
    public Optional<IndexEntry> entry(Target target, String id) {
        return item(target, id, false).map(i -> IndexItems.entry(i.key(), i.metadata()));
    }

    @Override
    public Optional<float[]> vector(Target target, String id) {
        return item(target, id, true).map(S3VectorsApi.Item::data);
    }

    private Optional<S3VectorsApi.Item> item(Target target, String id, boolean data) {
        List<String> indexes = target == Target.OBSERVATIONS ? List.of(names.observations(space))
                : imageIndexesFor(id);
        for (String index : indexes) {
            try {
                List<S3VectorsApi.Item> got = api.getVectors(index, List.of(id), data);
                if (!got.isEmpty()) {
                    return Optional.of(got.get(0));
                }
            } catch (S3VectorsApi.Failure e) {
                if (!e.notFound()) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /** An image's shard follows its observation, which the table knows; without the row, every shard. */
    private List<String> imageIndexesFor(String imageId) {
        return table.findImage(space, imageId).map(r -> List.of(names.imagesOf(space, r.observationId())))
                .orElse(names.images(space));
    }

    @Override
    public Optional<String> bestView(String observationId, float[] query) {
        ObjectNode only = json.createObjectNode();
        only.putObject(IndexItems.OBSERVATION).put("$eq", observationId);
        List<S3VectorsApi.Hit> hits = queryOrEmpty(names.imagesOf(space, observationId), query, 1, only);
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0).key());
    }

    @Override
    public void forEach(Target target, BiConsumer<IndexEntry, float[]> visitor) {
        for (String index : names.of(space, target)) {
            if (api.indexDimension(index) < 0) {
                continue;
            }
            String token = null;
            do {
                S3VectorsApi.Page page = api.list(index, token, true, 0, 1);
                for (S3VectorsApi.Item item : page.items()) {
                    visitor.accept(IndexItems.entry(item.key(), item.metadata()), item.data());
                }
                token = page.next();
            } while (token != null);
        }
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
