package dev.viewfold.search.s3vectors;

import dev.viewfold.search.IndexEntry;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rows as S3 Vectors items and back: the key is the row's id, the filterable metadata what search
 * filters on and describes a hit with ({@code observation}, {@code cluster}, {@code labels}) and
 * {@code updated} (epoch milliseconds, so a repair can tell a stale item).
 */
final class IndexItems {

    static final String OBSERVATION = "observation";
    static final String CLUSTER = "cluster";
    static final String LABELS = "labels";
    static final String UPDATED = "updated";

    private IndexItems() {
    }

    static S3VectorsApi.Item of(ImageRow row) {
        return new S3VectorsApi.Item(row.imageId(), row.vector(),
                metadata(row.observationId(), null, row.labels(), row.updatedAt()));
    }

    static S3VectorsApi.Item of(ObservationRow row) {
        return new S3VectorsApi.Item(row.observationId(), row.vector(),
                metadata(row.observationId(), row.clusterId(), row.labels(), row.updatedAt()));
    }

    private static Map<String, Object> metadata(String observation, String cluster, Set<String> labels,
                                                Instant updated) {
        Map<String, Object> m = new HashMap<>();
        m.put(OBSERVATION, observation);
        if (cluster != null) {
            m.put(CLUSTER, cluster);
        }
        if (labels != null && !labels.isEmpty()) {
            m.put(LABELS, List.copyOf(new TreeSet<>(labels)));
        }
        if (updated != null) {
            m.put(UPDATED, updated.toEpochMilli());
        }
        return m;
    }

    static IndexEntry entry(String key, Map<String, Object> m) {
        Object labels = m.get(LABELS);
        Set<String> set = labels instanceof Collection<?> c ? c.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.toSet()) : Set.of();
        Object updated = m.get(UPDATED);
        return new IndexEntry(key, (String) m.getOrDefault(OBSERVATION, key), (String) m.get(CLUSTER), set,
                updated instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : Instant.EPOCH);
    }

    /** Whether an item's metadata still says what the row says (a repair re-puts the ones that do not). */
    static boolean current(Map<String, Object> stored, S3VectorsApi.Item wanted) {
        return normalised(stored).equals(normalised(wanted.metadata()));
    }

    private static Map<String, Object> normalised(Map<String, Object> m) {
        Map<String, Object> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Number n ? (Object) n.longValue()
                : v instanceof Collection<?> c ? new TreeSet<>(c.stream().map(String::valueOf).toList()) : v));
        return out;
    }
}
