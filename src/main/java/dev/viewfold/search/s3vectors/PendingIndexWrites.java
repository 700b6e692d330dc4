package dev.viewfold.search.s3vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.search.Target;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Index writes that failed after every retry, each a small object under
 * {@code index/pending/<target>/} in the uploads bucket naming the row; the repair pass puts the
 * row again (or deletes it from the index, when the row is gone) and removes the marker. The rows
 * themselves are in the table, so nothing is lost while the index lags.
 */
public final class PendingIndexWrites {

    static final String PREFIX = BucketLayout.INDEX + "pending/";

    /** A row whose index item may be stale. */
    public record Pending(String key, String space, Target target, String id) {
    }

    private final ObjectStore bucket;
    private final ObjectMapper json;

    public PendingIndexWrites(ObjectStore bucket, ObjectMapper json) {
        this.bucket = bucket;
        this.json = json;
    }

    /** @throws IOException when even the marker cannot be written (the full repair still finds the row) */
    void mark(String space, Target target, String id) throws IOException {
        byte[] body = json.writeValueAsBytes(Map.of("space", space, "target", target.wire(), "id", id));
        bucket.put(PREFIX + target.wire() + "/" + digest(space + "\n" + id), body, Map.of());
    }

    List<Pending> all() throws IOException {
        List<Pending> out = new ArrayList<>();
        for (String key : bucket.list(PREFIX)) {
            try {
                JsonNode n = json.readTree(bucket.get(key, 1 << 16).bytes());
                out.add(new Pending(key, n.path("space").asText(), Target.parse(n.path("target").asText()),
                        n.path("id").asText()));
            } catch (ObjectStore.ObjectNotFoundException gone) {
                // another repair took it meanwhile
            } catch (IOException | RuntimeException unreadable) {
                bucket.delete(key); // cut short by a crash: the full repair covers its row
            }
        }
        return out;
    }

    void done(Pending p) throws IOException {
        bucket.delete(p.key());
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
