package dev.viewfold.store;

import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.store.dynamodb.ItemCodec;
import dev.viewfold.store.dynamodb.VectorFormat;
import dev.viewfold.testing.DynamoDbLocal;
import dev.viewfold.testing.DynamoDbRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DynamoDB adapter against DynamoDB Local (in memory, loopback, telemetry off), as deployed:
 * float16 vectors, a keys-only {@code by-observation} index. Also: rows the float32 format wrote
 * stay readable, and the views of an observation are read in batches of 100 keys, unprocessed keys
 * again.
 */
class DynamoDbVectorTableTest extends VectorTableContract {

    DynamoDbVectorTable table;
    String images;
    String observations;

    @BeforeEach
    void freshTables() {
        int n = DynamoDbLocal.nextTableSuffix();
        images = "images-" + n;
        observations = "observations-" + n;
        table = new DynamoDbVectorTable(DynamoDbLocal.client(), images, observations);
        table.createTablesIfMissing();
        table.createTablesIfMissing(); // a second start must not fail
    }

    @Override
    protected VectorTable table() {
        return table;
    }

    @Override
    protected float[] stored(float[] vector) {
        return VectorBytes.roundToFloat16(vector);
    }

    @Test
    void theIndexHoldsKeysOnlyAndRowsHoldFloat16() {
        var index = DynamoDbLocal.client().describeTable(b -> b.tableName(images)).table().globalSecondaryIndexes().get(0);
        assertEquals(ProjectionType.KEYS_ONLY, index.projection().projectionType());
        table.putImage(ImageRow.ok("a", "m@1", "o", "1", "h", new float[] {0.6f, 0.8f, 0, 1}, T0));
        var item = raw(images, ItemCodec.imageKey("m@1", "a"));
        assertEquals(8, item.get(ItemCodec.VECTOR_F16).b().asByteArray().length, "2 bytes a dimension");
        assertFalse(item.containsKey(ItemCodec.VECTOR));
    }

    /** A deployed table holds float32 rows and folds: read exactly, folded with float16 ones, replaced in place. */
    @Test
    void rowsWrittenAsFloat32BeforeStayReadable() {
        float[] old = {0.6f, -0.8f, 0.1f, Float.MIN_VALUE};
        DynamoDbVectorTable before = new DynamoDbVectorTable(DynamoDbLocal.client(), images, observations,
                VectorFormat.FLOAT32);
        before.putImages(List.of(ImageRow.ok("old", "m@1", "o1", "1", "h1", old, T0)));
        before.putObservation(fold("o1", 1, old, "mean"));
        assertArrayEquals(VectorBytes.encode(old), raw(images, ItemCodec.imageKey("m@1", "old"))
                .get(ItemCodec.VECTOR).b().asByteArray(), "as the float32 format wrote it: bit for bit");

        table.putImages(List.of(ImageRow.ok("new", "m@1", "o1", "2", "h2", new float[] {0.6f, 0.8f, 0, 0}, T0)));
        assertArrayEquals(old, table.findImage("m@1", "old").orElseThrow().vector(), 0f);
        Map<String, float[]> views = table.imagesOfObservation("m@1", "o1").stream()
                .collect(Collectors.toMap(ImageRow::imageId, ImageRow::vector));
        assertArrayEquals(old, views.get("old"), 0f, "float32 and float16 rows side by side");
        assertArrayEquals(stored(new float[] {0.6f, 0.8f, 0, 0}), views.get("new"), 0f);
        List<ImageRow> all = new ArrayList<>();
        table.forEachImage("m@1", all::add);
        assertEquals(2, all.size());
        assertArrayEquals(old, table.findObservation("m@1", "o1").orElseThrow().vector(), 0f);

        assertTrue(table.putFold(fold("o1", 2, new float[] {0.8f, 0.6f, 0, 0}, "mean")));
        var folded = raw(observations, ItemCodec.observationKey("m@1", "o1"));
        assertTrue(folded.containsKey(ItemCodec.VECTOR_F16));
        assertFalse(folded.containsKey(ItemCodec.VECTOR), "the float32 vector goes with the update");
        assertArrayEquals(stored(new float[] {0.8f, 0.6f, 0, 0}), table.findObservation("m@1", "o1").orElseThrow().vector(), 0f);
    }

    @Test
    void aVectorBeyondTheRangeOfAHalfIsKeptAsFloat32() {
        float[] v = {1e5f, 1f / 3};
        table.putImage(ImageRow.ok("big", "m@1", "o", "1", "h", v, T0));
        assertArrayEquals(v, table.findImage("m@1", "big").orElseThrow().vector(), 0f);
        assertTrue(raw(images, ItemCodec.imageKey("m@1", "big")).containsKey(ItemCodec.VECTOR));
    }

    /** 250 views: one query for their keys, three reads by key; the rows in the index's order. */
    @Test
    void theViewsOfAnObservationAreReadByKeyInBatchesOfAHundred() {
        List<ImageRow> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(ImageRow.ok("img%03d".formatted(i), "s@1", "big", "v" + i, "h" + i, new float[] {i, 1}, T0));
        }
        rows.add(ImageRow.ok("elsewhere", "s@1", "small", "v", "h", new float[] {1, 1}, T0));
        table.putImages(rows);
        DynamoDbRequests requests = new DynamoDbRequests();
        var counted = new DynamoDbVectorTable(DynamoDbLocal.client(requests), images, observations);
        List<ImageRow> views = counted.imagesOfObservation("s@1", "big");
        assertEquals(rows.subList(0, 250).stream().map(ImageRow::imageId).toList(),
                views.stream().map(ImageRow::imageId).toList());
        assertArrayEquals(new float[] {249, 1}, views.get(249).vector(), 0f, "whole rows, vectors and all");
        assertEquals(Map.of("BatchGetItem", 3L, "Query", 1L), requests.requests());
    }

    /**
     * 30 observations of 8 views (a stream batch's worth): a keys-only Query each, then their 240
     * rows in three reads by key, not one read per observation; an observation with no rows is there,
     * empty.
     */
    @Test
    void theViewsOfManyObservationsAreReadTogether() {
        List<ImageRow> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int o = 0; o < 30; o++) {
            ids.add("o" + o);
            for (int i = 0; i < 8; i++) {
                rows.add(ImageRow.ok("img%02d-%d".formatted(o, i), "s@1", "o" + o, "v" + i, "h", new float[] {o, i}, T0));
            }
        }
        table.putImages(rows);
        ids.add("nobody");
        DynamoDbRequests requests = new DynamoDbRequests();
        var counted = new DynamoDbVectorTable(DynamoDbLocal.client(requests), images, observations);
        Map<String, List<ImageRow>> views = counted.imagesOfObservations("s@1", ids);
        assertEquals(ids, List.copyOf(views.keySet()));
        for (int o = 0; o < 30; o++) {
            assertEquals(rows.subList(8 * o, 8 * o + 8).stream().map(ImageRow::imageId).toList(),
                    views.get("o" + o).stream().map(ImageRow::imageId).toList(), "o" + o);
        }
        assertArrayEquals(new float[] {29, 7}, views.get("o29").get(7).vector(), 0f, "whole rows, vectors and all");
        assertEquals(List.of(), views.get("nobody"));
        assertEquals(Map.of("BatchGetItem", 3L, "Query", 31L), requests.requests());
    }

    /** Observation rows asked for together: 150 in two reads by key, not 150 reads. */
    @Test
    void observationRowsAreReadByKeyInBatchesOfAHundred() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            table.putObservation(fold("f" + i, 1, new float[] {1, i}, "mean"));
            ids.add("f" + i);
        }
        DynamoDbRequests requests = new DynamoDbRequests();
        var counted = new DynamoDbVectorTable(DynamoDbLocal.client(requests), images, observations);
        assertEquals(150, counted.findObservations("m@1", ids).size());
        assertEquals(Map.of("BatchGetItem", 2L), requests.requests());
    }

    /** DynamoDB may leave keys unprocessed (throttling, 16 MB a response): they are asked for again. */
    @Test
    void keysLeftUnprocessedAreReadAgain() {
        List<ImageRow> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            rows.add(ImageRow.ok("img" + i, "s@1", "o", "v" + i, "h" + i, new float[] {i, 1}, T0).withLabels(Set.of("l" + i)));
        }
        table.putImages(rows);
        DynamoDbRequests requests = new DynamoDbRequests();
        DynamoDbClient throttled = DynamoDbLocal.client(new LeavesKeysUnprocessed(2), requests);
        List<ImageRow> views = new DynamoDbVectorTable(throttled, images, observations).imagesOfObservation("s@1", "o");
        assertEquals(rows.stream().map(ImageRow::imageId).toList(), views.stream().map(ImageRow::imageId).toList());
        assertEquals(Set.of("l6"), views.get(6).labels());
        assertEquals(4L, requests.requests().get("BatchGetItem"), "7 keys, 2 served a time: 4 requests");
    }

    /** Serves the first {@code keep} rows of each {@code BatchGetItem} and hands the rest back as unprocessed. */
    record LeavesKeysUnprocessed(int keep) implements ExecutionInterceptor {
        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (!(context.response() instanceof BatchGetItemResponse r)) {
                return context.response();
            }
            Map<String, List<Map<String, AttributeValue>>> served = new HashMap<>();
            Map<String, KeysAndAttributes> unprocessed = new HashMap<>();
            r.responses().forEach((name, items) -> {
                served.put(name, items.subList(0, Math.min(keep, items.size())));
                if (items.size() > keep) {
                    var request = (software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest) context.request();
                    unprocessed.put(name, request.requestItems().get(name).toBuilder()
                            .keys(items.subList(keep, items.size()).stream()
                                    .map(i -> ItemCodec.imageKey(i.get(ItemCodec.SPACE).s(), i.get(ItemCodec.IMAGE_ID).s()))
                                    .toList()).build());
                }
            });
            return r.toBuilder().responses(served).unprocessedKeys(unprocessed).build();
        }
    }

    private Map<String, AttributeValue> raw(String tableName, Map<String, AttributeValue> key) {
        return DynamoDbLocal.client().getItem(b -> b.tableName(tableName).key(key).consistentRead(true)).item();
    }
}
