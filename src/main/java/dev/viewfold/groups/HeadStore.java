package dev.viewfold.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.store.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Projection heads in the bucket: {@code heads/<base space>/<digest>.vfhd} (the weights),
 * {@code <digest>.json} (the training report) and {@code index.json} (every head of the base space,
 * newest last). Heads are immutable once written, so loaded heads are cached for good.
 */
public final class HeadStore {

    static final String PREFIX = "heads/";
    private static final long MAX_HEAD_BYTES = 256L << 20;

    private final ObjectStore bucket;
    private final ObjectMapper json;
    private final Map<String, ProjectionHead> loaded = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong saves = new java.util.concurrent.atomic.AtomicLong();

    public HeadStore(ObjectStore bucket, ObjectMapper json) {
        this.bucket = bucket;
        this.json = json;
    }

    /** Writes the head and its report and lists it in the base space's index; returns the head space. */
    public synchronized String save(String baseSpace, ProjectionHead head, ObjectNode report) throws IOException {
        String space = HeadSpaces.of(baseSpace, head);
        String dir = PREFIX + baseSpace + "/";
        bucket.put(dir + head.digest() + ".vfhd", head.toBytes(), Map.of("space", space));
        bucket.put(dir + head.digest() + ".json", json.writerWithDefaultPrettyPrinter().writeValueAsBytes(report),
                Map.of());
        ArrayNode index = index(baseSpace);
        ArrayNode kept = json.createArrayNode();
        index.forEach(e -> {
            if (!e.path("space").asText().equals(space)) {
                kept.add(e);
            }
        });
        ObjectNode entry = kept.addObject();
        entry.put("space", space);
        entry.put("digest", head.digest());
        entry.put("trainedAt", report.path("trainedAt").asText());
        entry.set("settings", report.path("settings"));
        bucket.put(dir + "index.json", json.writeValueAsBytes(kept), Map.of());
        loaded.put(space, head);
        saves.incrementAndGet();
        return space;
    }

    /** How many heads this process has saved: when it moves, a cached list of heads is out of date. */
    public long saves() {
        return saves.get();
    }

    /** Whether {@code space} is {@code baseSpace} itself or the space of a head trained on it. */
    public boolean knows(String baseSpace, String space) {
        return space.equals(baseSpace) || spacesOf(baseSpace).contains(space);
    }

    /** The head spaces trained on {@code baseSpace}, oldest first. */
    public List<String> spacesOf(String baseSpace) {
        List<String> out = new ArrayList<>();
        index(baseSpace).forEach(e -> out.add(e.path("space").asText()));
        return out;
    }

    /**
     * The head of a head space.
     *
     * @throws NoSuchElementException when no such head was trained
     */
    public ProjectionHead head(String headSpace) {
        return loaded.computeIfAbsent(headSpace, s -> {
            String key = PREFIX + HeadSpaces.base(s) + "/" + HeadSpaces.digest(s) + ".vfhd";
            try {
                ProjectionHead head = ProjectionHead.fromBytes(bucket.get(key, MAX_HEAD_BYTES).bytes());
                if (!head.digest().equals(HeadSpaces.digest(s))) {
                    throw new IllegalStateException(key + " does not hold head " + HeadSpaces.digest(s)
                            + " (its digest is " + head.digest() + ")");
                }
                return head;
            } catch (ObjectStore.ObjectNotFoundException e) {
                throw new NoSuchElementException("no head '" + HeadSpaces.digest(s) + "' was trained on space "
                        + HeadSpaces.base(s));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The training report of a head space. */
    public JsonNode report(String headSpace) throws IOException {
        String key = PREFIX + HeadSpaces.base(headSpace) + "/" + HeadSpaces.digest(headSpace) + ".json";
        return json.readTree(bucket.get(key, MAX_HEAD_BYTES).bytes());
    }

    private ArrayNode index(String baseSpace) {
        try {
            JsonNode node = json.readTree(bucket.get(PREFIX + baseSpace + "/index.json", MAX_HEAD_BYTES).bytes());
            return node instanceof ArrayNode a ? a : json.createArrayNode();
        } catch (ObjectStore.ObjectNotFoundException e) {
            return json.createArrayNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
