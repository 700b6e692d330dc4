package dev.viewfold.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.errors.Refused;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a person decided about a group of near-duplicates: which one to keep, or that they are not
 * duplicates at all. Kept as a small record per group in the bucket ({@link BucketLayout#DUPLICATE_DECISIONS});
 * nothing is ever deleted because of it: removing the others is the owner's own step.
 */
public final class DuplicateDecisions {

    /** What was decided. */
    public enum Decision { KEEP_ONE, NOT_DUPLICATES }

    /**
     * @param ids     the group, sorted
     * @param keep    the row to keep ({@code keep-one}), else null
     * @param decided when
     */
    public record Record(List<String> ids, String decision, String keep, String decided) {
    }

    private static final long MAX_BYTES = 1 << 20;

    private final ObjectStore bucket;
    private final ObjectMapper json;
    private final Clock clock;

    public DuplicateDecisions(ObjectStore bucket, ObjectMapper json, Clock clock) {
        this.bucket = bucket;
        this.json = json;
        this.clock = clock;
    }

    /** @throws Refused for a group of fewer than two, or a kept row that is not in it */
    public Record decide(List<String> ids, Decision decision, String keep) {
        if (ids == null || new TreeSet<>(ids).size() < 2 || ids.stream().anyMatch(id -> id == null || id.isBlank())) {
            throw Refused.invalid("a near-duplicate group holds two or more ids");
        }
        if (decision == Decision.KEEP_ONE && (keep == null || !ids.contains(keep))) {
            throw Refused.invalid("keep names the row to keep, one of the group's ids");
        }
        if (decision == Decision.NOT_DUPLICATES && keep != null) {
            throw Refused.invalid("keep goes with keep-one only");
        }
        List<String> sorted = List.copyOf(new TreeSet<>(ids));
        Record r = new Record(sorted, decision.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), keep,
                clock.instant().toString());
        try {
            bucket.put(key(sorted), json.writeValueAsBytes(r), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("the decision could not be written: " + e.getMessage(), e);
        }
        return r;
    }

    /** Every decision taken, in the order of their groups' keys. */
    public List<Record> all() {
        List<Record> out = new ArrayList<>();
        try {
            for (String key : bucket.list(BucketLayout.DUPLICATE_DECISIONS)) {
                out.add(json.readValue(bucket.get(key, MAX_BYTES).bytes(), Record.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the decisions could not be read: " + e.getMessage(), e);
        }
        return out;
    }

    static String key(List<String> sortedIds) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", sortedIds).getBytes(StandardCharsets.UTF_8));
            return BucketLayout.DUPLICATE_DECISIONS + HexFormat.of().formatHex(digest, 0, 12) + ".json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
