package dev.viewfold.store.dynamodb;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.Labels;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorBytes;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows as DynamoDB items and back: the one mapping the table writes and reads and the image
 * table's stream is read with. Image items: partition key {@value #IMAGE_ID}, sort key {@value #SPACE},
 * and {@value #SPACE_OBSERVATION} for the {@code by-observation} index. Observation items: partition
 * key {@value #OBSERVATION_ID}, sort key {@value #SPACE}; the cluster run's placement in flat
 * attributes. Vectors are little-endian binary, float16 in {@value #VECTOR_F16} or float32 in
 * {@value #VECTOR} as the {@link VectorFormat} says; either is read, so rows written before float16
 * (all float32) stay readable. Labels are a string set (none: no attribute).
 */
public final class ItemCodec {

    public static final String IMAGE_ID = "image_id";
    public static final String SPACE = "space";
    public static final String OBSERVATION_ID = "observation_id";
    public static final String SPACE_OBSERVATION = "space_observation";
    public static final String UPDATED_AT = "updated_at";
    public static final String VECTOR = "vector";
    public static final String VECTOR_F16 = "vector_f16";

    private ItemCodec() {
    }

    public static Map<String, AttributeValue> imageItem(ImageRow r, VectorFormat format) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(IMAGE_ID, s(r.imageId()));
        item.put(SPACE, s(r.space()));
        item.put(OBSERVATION_ID, s(r.observationId()));
        item.put(SPACE_OBSERVATION, s(spaceObservation(r.space(), r.observationId())));
        putIfPresent(item, "view_id", r.viewId());
        item.put("status", s(r.status().wire()));
        putIfPresent(item, "error", r.error());
        putIfPresent(item, "content_hash", r.contentHash());
        putVector(item, r.vector(), format);
        item.put("created_at", n(r.createdAt().toEpochMilli()));
        item.put(UPDATED_AT, n(r.updatedAt().toEpochMilli()));
        putIfPresent(item, "sequencer", r.sequencer());
        putLabels(item, r.labels());
        return item;
    }

    /** @throws RuntimeException when a key attribute, the status or a time is missing */
    public static ImageRow imageRow(Map<String, AttributeValue> item) {
        Instant updated = instant(item, UPDATED_AT);
        return new ImageRow(item.get(IMAGE_ID).s(), item.get(SPACE).s(), item.get(OBSERVATION_ID).s(),
                str(item, "view_id"), RowStatus.fromWire(item.get("status").s()), str(item, "error"),
                str(item, "content_hash"), vector(item), item.containsKey("created_at") ? instant(item, "created_at") : updated,
                updated, str(item, "sequencer"), labels(item));
    }

    /** The attributes a fold owns (the cluster fields are left alone), for an update or a whole item. */
    public static Map<String, AttributeValue> foldAttributes(ObservationRow r, VectorFormat format) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("status", s(r.status().wire()));
        putIfPresent(item, "error", r.error());
        putVector(item, r.vector(), format);
        putIfPresent(item, "strategy", r.strategy());
        item.put("views", AttributeValue.fromL(r.views().stream().map(v -> {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put(IMAGE_ID, s(v.imageId()));
            putIfPresent(m, "view_id", v.viewId());
            m.put("agreement", AttributeValue.fromN(Float.toString(v.agreement())));
            m.put("outlier", AttributeValue.fromBool(v.outlier()));
            putIfPresent(m, "likely_home", v.likelyHome());
            if (v.likelyHomeScore() != null) {
                m.put("likely_home_score", AttributeValue.fromN(Float.toString(v.likelyHomeScore())));
            }
            return AttributeValue.fromM(m);
        }).toList()));
        item.put("dispersion", AttributeValue.fromN(Double.toString(r.dispersion())));
        putIfPresent(item, "explanation", r.explanation());
        item.put("input_version", n(r.inputVersion()));
        item.put(UPDATED_AT, n(r.updatedAt().toEpochMilli()));
        putLabels(item, r.labels());
        return item;
    }

    /**
     * The attributes a fold owns, by name, in the order an update lists them. Both vector attributes:
     * an update removes the one it does not write, so a float32 fold rewritten as float16 keeps one.
     */
    public static final List<String> FOLD_ATTRIBUTES = List.of("status", "error", VECTOR, VECTOR_F16, "strategy",
            "views", "dispersion", "explanation", "input_version", UPDATED_AT, "labels");

    /** Flat attributes, so that a later index on {@code cluster_id} needs no migration. */
    public static Map<String, AttributeValue> placementAttributes(ObservationRow.Placement p) {
        Map<String, AttributeValue> item = new HashMap<>();
        putIfPresent(item, "cluster_id", p.clusterId());
        item.put("cluster_probability", AttributeValue.fromN(Double.toString(p.probability())));
        item.put("outlier_score", AttributeValue.fromN(Double.toString(p.outlierScore())));
        item.put("map_x", AttributeValue.fromN(Float.toString(p.x())));
        item.put("map_y", AttributeValue.fromN(Float.toString(p.y())));
        item.put("cluster_run", s(p.run()));
        return item;
    }

    public static Map<String, AttributeValue> observationItem(ObservationRow r, VectorFormat format) {
        Map<String, AttributeValue> item = new HashMap<>(foldAttributes(r, format));
        item.put(OBSERVATION_ID, s(r.observationId()));
        item.put(SPACE, s(r.space()));
        if (r.placement() != null) {
            item.putAll(placementAttributes(r.placement()));
        }
        return item;
    }

    public static ObservationRow observationRow(Map<String, AttributeValue> item) {
        List<ObservationRow.ViewScore> views = item.containsKey("views") ? views(item.get("views")) : List.of();
        return new ObservationRow(item.get(OBSERVATION_ID).s(), item.get(SPACE).s(),
                RowStatus.fromWire(item.get("status").s()), str(item, "error"), vector(item),
                str(item, "strategy"), views,
                item.containsKey("dispersion") ? Double.parseDouble(item.get("dispersion").n()) : 0,
                str(item, "explanation"),
                item.containsKey("input_version") ? Long.parseLong(item.get("input_version").n()) : 0,
                labels(item), placement(item), instant(item, UPDATED_AT));
    }

    /** A fold's view list as stored; the likely home and its score are there only for views that have one. */
    public static List<ObservationRow.ViewScore> views(AttributeValue list) {
        return list.l().stream().map(v -> new ObservationRow.ViewScore(v.m().get(IMAGE_ID).s(), str(v.m(), "view_id"),
                Float.parseFloat(v.m().get("agreement").n()), v.m().get("outlier").bool(), str(v.m(), "likely_home"),
                v.m().containsKey("likely_home_score") ? Float.valueOf(v.m().get("likely_home_score").n()) : null))
                .toList();
    }

    private static ObservationRow.Placement placement(Map<String, AttributeValue> item) {
        String run = str(item, "cluster_run");
        if (run == null) {
            return null;
        }
        return new ObservationRow.Placement(str(item, "cluster_id"), num(item, "cluster_probability"),
                num(item, "outlier_score"), (float) num(item, "map_x"), (float) num(item, "map_y"), run);
    }

    /** The key of the {@code by-observation} index. */
    public static String spaceObservation(String space, String observationId) {
        return space + "|" + observationId;
    }

    public static Map<String, AttributeValue> imageKey(String space, String imageId) {
        return Map.of(IMAGE_ID, s(imageId), SPACE, s(space));
    }

    public static Map<String, AttributeValue> observationKey(String space, String observationId) {
        return Map.of(OBSERVATION_ID, s(observationId), SPACE, s(space));
    }

    private static void putVector(Map<String, AttributeValue> item, float[] vector, VectorFormat format) {
        if (vector == null) {
            return;
        }
        if (format == VectorFormat.FLOAT16 && VectorBytes.fitsFloat16(vector)) {
            item.put(VECTOR_F16, AttributeValue.fromB(SdkBytes.fromByteArray(VectorBytes.encodeFloat16(vector))));
        } else {
            item.put(VECTOR, AttributeValue.fromB(SdkBytes.fromByteArray(VectorBytes.encode(vector))));
        }
    }

    /** A string set; DynamoDB has no empty sets, so no labels is no attribute. */
    private static void putLabels(Map<String, AttributeValue> item, Set<String> labels) {
        if (!labels.isEmpty()) {
            item.put("labels", AttributeValue.fromSs(List.copyOf(labels)));
        }
    }

    private static Set<String> labels(Map<String, AttributeValue> item) {
        AttributeValue v = item.get("labels");
        return v == null ? Set.of() : Labels.copyOf(v.ss());
    }

    /** Whichever format the row was written in: a float16 row, or a float32 one (any row from before float16). */
    private static float[] vector(Map<String, AttributeValue> item) {
        AttributeValue half = item.get(VECTOR_F16);
        if (half != null) {
            return VectorBytes.decodeFloat16(half.b().asByteArray());
        }
        AttributeValue v = item.get(VECTOR);
        return v == null ? null : VectorBytes.decode(v.b().asByteArray());
    }

    private static double num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Double.parseDouble(v.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(Long.parseLong(item.get(name).n()));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
