package dev.viewfold.store.dynamodb;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.Labels;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStamps;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.VectorTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The vector table on DynamoDB: image rows and observation rows as {@link ItemCodec} maps them. The
 * index {@code by-observation} holds keys only and finds the views of an observation, whose rows are
 * then read by those keys ({@code BatchGetItem}): a whole copy of each row in the index would bill
 * every vector twice. Vectors are float16 by default ({@link VectorFormat}): a 1280-d row is about
 * 2.9 KB, 3 write units (float32: 5.5 KB, 6), well inside the 400 KB item limit.
 */
public final class DynamoDbVectorTable implements VectorTable {

    public static final String BY_OBSERVATION = "by-observation";
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int BATCH_GET_LIMIT = 100;
    private static final int BATCH_RETRIES = 10;
    /**
     * Requests in flight at once (placements written back, a batch's views read and its folds
     * written): as many as the JDK's URL connection client keeps open to one host
     * ({@code http.maxConnections}, 5 by default), so each request reuses a connection rather than
     * opening one, a TLS handshake on AWS. Raising the property raises both.
     */
    private static final int PARALLEL_REQUESTS = Math.max(1, Integer.getInteger("http.maxConnections", 5));

    private final DynamoDbClient db;
    private final String imageTable;
    private final String observationTable;
    private final VectorFormat format;

    public DynamoDbVectorTable(DynamoDbClient db, String imageTable, String observationTable) {
        this(db, imageTable, observationTable, VectorFormat.FLOAT16);
    }

    /** @param format how vectors are written; rows of either format are read */
    public DynamoDbVectorTable(DynamoDbClient db, String imageTable, String observationTable, VectorFormat format) {
        this.db = db;
        this.imageTable = imageTable;
        this.observationTable = observationTable;
        this.format = format;
    }

    public VectorFormat format() {
        return format;
    }

    /** Creates both tables if they do not exist (local runs and tests; on AWS the CDK stack owns them). */
    public void createTablesIfMissing() {
        create(imageTable, "image_id", "space", true);
        create(observationTable, "observation_id", "space", false);
    }

    private void create(String table, String pk, String sk, boolean observationIndex) {
        List<AttributeDefinition> attrs = new ArrayList<>(List.of(
                attr(pk), attr(sk)));
        var request = software.amazon.awssdk.services.dynamodb.model.CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key(pk, KeyType.HASH), key(sk, KeyType.RANGE))
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build());
        if (observationIndex) {
            attrs.add(attr("space_observation"));
            request.globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(BY_OBSERVATION)
                    .keySchema(key("space_observation", KeyType.HASH), key("image_id", KeyType.RANGE))
                    .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build());
        }
        try {
            db.createTable(request.attributeDefinitions(attrs).build());
            db.waiter().waitUntilTableExists(b -> b.tableName(table));
        } catch (ResourceInUseException alreadyThere) {
            // another process created it first: fine
        }
    }

    @Override
    public Optional<ImageRow> findImage(String space, String imageId) {
        var item = db.getItem(b -> b.tableName(imageTable).consistentRead(true)
                .key(ItemCodec.imageKey(space, imageId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ItemCodec.imageRow(item));
    }

    @Override
    public List<ImageRow> putImages(List<ImageRow> input) {
        // A batch may hold the same object twice (a redelivered event); BatchWriteItem refuses
        // duplicate keys, and the last write is the one that counts anyway.
        Map<String, ImageRow> unique = new java.util.LinkedHashMap<>();
        input.forEach(r -> unique.put(r.space() + "\n" + r.imageId(), r));
        List<ImageRow> rows = new ArrayList<>();
        List<ImageRow> written = new ArrayList<>();
        for (ImageRow r : unique.values()) {
            if (r.sequencer() == null) {
                rows.add(r);
            } else if (putIfNotOlder(r)) { // BatchWriteItem takes no conditions
                written.add(r);
            }
        }
        written.addAll(rows);
        for (int from = 0; from < rows.size(); from += BATCH_WRITE_LIMIT) {
            List<WriteRequest> writes = new ArrayList<>();
            for (ImageRow r : rows.subList(from, Math.min(rows.size(), from + BATCH_WRITE_LIMIT))) {
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(ItemCodec.imageItem(r, format)).build()).build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(imageTable, writes);
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 0) {
                    sleepBackoff(attempt);
                }
                Map<String, List<WriteRequest>> batch = pending;
                BatchWriteItemResponse resp = db.batchWriteItem(b -> b.requestItems(batch));
                pending = resp.hasUnprocessedItems() ? resp.unprocessedItems() : Map.of();
                if (attempt >= BATCH_RETRIES && !pending.isEmpty()) {
                    throw new IllegalStateException("DynamoDB kept throttling " + imageTable + " after "
                            + BATCH_RETRIES + " retries");
                }
            }
        }
        return written;
    }

    /** Writes a row from an S3 event unless the stored row came from a newer event; says which. */
    private boolean putIfNotOlder(ImageRow r) {
        try {
            db.putItem(b -> b.tableName(imageTable).item(ItemCodec.imageItem(r, format))
                    .conditionExpression("attribute_not_exists(sequencer) OR sequencer <= :s")
                    .expressionAttributeValues(Map.of(":s", s(r.sequencer()))));
            return true;
        } catch (ConditionalCheckFailedException newerEventWritten) {
            return false; // an older event delivered late: the row stays as the newer event left it
        }
    }

    @Override
    public List<ImageRow> imagesOfObservation(String space, String observationId) {
        return imagesOfObservations(space, List.of(observationId)).get(observationId);
    }

    /**
     * The index gives each observation's keys (one small page for any observation; several
     * observations' Queries at once), then the rows of all of them are read by key, up to 100 a
     * request, consistently: the newest version of each row, as a write left it. A row deleted
     * between the two reads is simply missing, and one moved to another observation (the index had
     * not caught up) is left out. Each list in the index's order (by image id).
     */
    @Override
    public Map<String, List<ImageRow>> imagesOfObservations(String space, Collection<String> observationIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(observationIds));
        List<List<String>> imageIds = inParallel(ids, id -> viewIds(space, id), "read the views of " + ids.size()
                + " observations");
        List<Map<String, AttributeValue>> keys = imageIds.stream().flatMap(List::stream).distinct()
                .map(imageId -> ItemCodec.imageKey(space, imageId)).toList();
        Map<String, ImageRow> byId = new HashMap<>();
        inParallel(chunks(keys), chunk -> batchGet(imageTable, chunk), "read " + keys.size() + " image rows").forEach(items ->
                items.forEach(item -> byId.put(item.get(ItemCodec.IMAGE_ID).s(), ItemCodec.imageRow(item))));
        Map<String, List<ImageRow>> rows = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String observationId = ids.get(i);
            rows.put(observationId, imageIds.get(i).stream().map(byId::get)
                    .filter(r -> r != null && r.observationId().equals(observationId)).toList());
        }
        return rows;
    }

    /** The image ids the keys-only index lists under an observation. */
    private List<String> viewIds(String space, String observationId) {
        List<String> ids = new ArrayList<>();
        db.queryPaginator(b -> b.tableName(imageTable).indexName(BY_OBSERVATION)
                        .keyConditionExpression("space_observation = :k")
                        .expressionAttributeValues(Map.of(":k", s(ItemCodec.spaceObservation(space, observationId)))))
                .items().forEach(item -> ids.add(item.get(ItemCodec.IMAGE_ID).s()));
        return ids;
    }

    /**
     * Runs one request per input, up to {@link #PARALLEL_REQUESTS} at once (each is one round trip,
     * so waiting on them in turn would add their latencies); the results in the inputs' order.
     */
    private static <A, R> List<R> inParallel(List<A> inputs, java.util.function.Function<A, R> request, String what) {
        if (inputs.size() <= 1) {
            return inputs.stream().map(request).toList();
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(PARALLEL_REQUESTS, inputs.size()));
        try {
            List<java.util.concurrent.Future<R>> calls = new ArrayList<>(inputs.size());
            for (A input : inputs) {
                calls.add(pool.submit(() -> request.apply(input)));
            }
            List<R> results = new ArrayList<>(inputs.size());
            for (var call : calls) {
                results.add(call.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Keys in requests of at most 100. */
    private static List<List<Map<String, AttributeValue>>> chunks(List<Map<String, AttributeValue>> keys) {
        List<List<Map<String, AttributeValue>>> chunks = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            chunks.add(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT)));
        }
        return chunks;
    }

    /** One {@code BatchGetItem} of at most 100 keys, and again for the keys it left unprocessed (throttling, 16 MB). */
    private List<Map<String, AttributeValue>> batchGet(String table, List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(keys.size());
        Map<String, KeysAndAttributes> pending = Map.of(table,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                sleepBackoff(attempt);
            }
            Map<String, KeysAndAttributes> batch = pending;
            BatchGetItemResponse resp = db.batchGetItem(b -> b.requestItems(batch));
            items.addAll(resp.responses().getOrDefault(table, List.of()));
            pending = resp.hasUnprocessedKeys() ? resp.unprocessedKeys() : Map.of();
            if (attempt >= BATCH_RETRIES && !pending.isEmpty()) {
                throw new IllegalStateException("DynamoDB kept throttling reads of " + table + " after "
                        + BATCH_RETRIES + " retries");
            }
        }
        return items;
    }

    @Override
    public void forEachImageSince(String space, Instant since, Consumer<ImageRow> visitor) {
        scanSince(imageTable, space, since).forEach(item -> visitor.accept(ItemCodec.imageRow(item)));
    }

    @Override
    public void forEachObservationSince(String space, Instant since, Consumer<ObservationRow> visitor) {
        scanSince(observationTable, space, since).forEach(item -> visitor.accept(ItemCodec.observationRow(item)));
    }

    /**
     * A filtered scan: it reads (and bills) the whole table, which is what a full load needs anyway;
     * catching up often on a large table is what the index snapshot in the bucket is for.
     */
    private Iterable<Map<String, AttributeValue>> scanSince(String table, String space, Instant since) {
        return db.scanPaginator(b -> b.tableName(table).consistentRead(true)
                        .filterExpression("#s = :s AND #u >= :u")
                        .expressionAttributeNames(Map.of("#s", "space", "#u", "updated_at"))
                        .expressionAttributeValues(Map.of(":s", s(space),
                                ":u", AttributeValue.fromN(Long.toString(since.toEpochMilli())))))
                .items();
    }

    @Override
    public Optional<ObservationRow> findObservation(String space, String observationId) {
        var item = db.getItem(b -> b.tableName(observationTable).consistentRead(true)
                .key(ItemCodec.observationKey(space, observationId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ItemCodec.observationRow(item));
    }

    /** By key, 100 a request (several requests at once), consistently. */
    @Override
    public List<ObservationRow> findObservations(String space, Collection<String> observationIds) {
        List<Map<String, AttributeValue>> keys = observationIds.stream().distinct()
                .map(id -> ItemCodec.observationKey(space, id)).toList();
        List<ObservationRow> rows = new ArrayList<>(keys.size());
        inParallel(chunks(keys), chunk -> batchGet(observationTable, chunk), "read " + keys.size() + " observation rows")
                .forEach(items -> items.forEach(item -> rows.add(ItemCodec.observationRow(item))));
        return rows;
    }

    @Override
    public void putObservation(ObservationRow r) {
        db.putItem(b -> b.tableName(observationTable).item(ItemCodec.observationItem(r, format)));
    }

    /** Parallel conditional updates: one round trip each, so many at once keeps a 100k-row run short. */
    @Override
    public int putPlacements(String space, Map<String, ObservationRow.Placement> placements, Instant now) {
        return (int) inParallel(List.copyOf(placements.entrySet()), e -> updatePlacement(space, e.getKey(), e.getValue(), now),
                "write " + placements.size() + " cluster placements").stream().filter(Boolean::booleanValue).count();
    }

    private boolean updatePlacement(String space, String observationId, ObservationRow.Placement p, Instant now) {
        Map<String, AttributeValue> attrs = ItemCodec.placementAttributes(p);
        attrs.put("updated_at", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        List<String> attributes = new ArrayList<>(attrs.keySet());
        if (!attrs.containsKey("cluster_id")) {
            attributes.add("cluster_id"); // noise: the id goes
        }
        Update update = Update.of(attributes, attrs);
        try {
            db.updateItem(b -> b.tableName(observationTable)
                    .key(ItemCodec.observationKey(space, observationId))
                    .updateExpression(update.expression())
                    .conditionExpression("attribute_exists(observation_id)")
                    .expressionAttributeNames(update.names()).expressionAttributeValues(update.values()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // deleted meanwhile: not re-created
        }
    }

    @Override
    public boolean putFold(ObservationRow r) {
        Map<String, AttributeValue> attrs = ItemCodec.foldAttributes(r, format);
        Update update = Update.of(ItemCodec.FOLD_ATTRIBUTES, attrs);
        update.values().put(":v", attrs.get("input_version"));
        try {
            db.updateItem(b -> b.tableName(observationTable)
                    .key(ItemCodec.observationKey(r.space(), r.observationId()))
                    .updateExpression(update.expression())
                    // the version check: never replace a fold of a newer set of views
                    .conditionExpression("attribute_not_exists(input_version) OR input_version <= :v")
                    .expressionAttributeNames(update.names())
                    .expressionAttributeValues(update.values()));
            return true;
        } catch (ConditionalCheckFailedException newerFoldThere) {
            return false;
        }
    }

    /** Conditional updates in parallel: a stream batch's folds, one round trip each. */
    @Override
    public List<Boolean> putFolds(List<ObservationRow> folds) {
        return inParallel(folds, this::putFold, "write " + folds.size() + " folds");
    }

    @Override
    public boolean deleteImageIfUnchanged(String space, String imageId, Instant updatedAt) {
        try {
            db.deleteItem(b -> b.tableName(imageTable).key(ItemCodec.imageKey(space, imageId))
                    .conditionExpression("updated_at = :u")
                    .expressionAttributeValues(Map.of(":u", AttributeValue.fromN(Long.toString(updatedAt.toEpochMilli())))));
            return true;
        } catch (ConditionalCheckFailedException rewrittenOrGone) {
            return false;
        }
    }

    @Override
    public void deleteImage(String space, String imageId) {
        db.deleteItem(b -> b.tableName(imageTable).key(ItemCodec.imageKey(space, imageId)));
    }

    @Override
    public void forEachImageStamp(String space, Consumer<RowStamps.Image> visitor) {
        db.scanPaginator(b -> b.tableName(imageTable).consistentRead(true).filterExpression("#s = :s")
                        .projectionExpression("image_id, observation_id, #st, updated_at, labels")
                        .expressionAttributeNames(Map.of("#s", "space", "#st", "status"))
                        .expressionAttributeValues(Map.of(":s", s(space))))
                .items().forEach(item -> visitor.accept(new RowStamps.Image(item.get("image_id").s(),
                        item.get("observation_id").s(), RowStatus.fromWire(item.get("status").s()),
                        Instant.ofEpochMilli(Long.parseLong(item.get("updated_at").n())),
                        item.containsKey("labels") ? Labels.copyOf(item.get("labels").ss()) : Set.of())));
    }

    @Override
    public void forEachFoldStamp(String space, Consumer<RowStamps.Fold> visitor) {
        db.scanPaginator(b -> b.tableName(observationTable).consistentRead(true).filterExpression("#s = :s")
                        .projectionExpression("observation_id, #st, input_version, #v, labels, #g")
                        .expressionAttributeNames(Map.of("#s", "space", "#st", "status", "#v", "views", "#g", "strategy"))
                        .expressionAttributeValues(Map.of(":s", s(space))))
                .items().forEach(item -> {
                    Set<String> ids = new HashSet<>();
                    List<ObservationRow.ViewScore> views = item.containsKey("views")
                            ? ItemCodec.views(item.get("views")) : List.of();
                    views.forEach(v -> ids.add(v.imageId()));
                    visitor.accept(new RowStamps.Fold(item.get("observation_id").s(),
                            RowStatus.fromWire(item.get("status").s()),
                            item.containsKey("input_version") ? Long.parseLong(item.get("input_version").n()) : 0, ids,
                            item.containsKey("labels") ? Labels.copyOf(item.get("labels").ss()) : Set.of(),
                            item.containsKey("strategy") ? item.get("strategy").s() : null,
                            RowStamps.Fold.kept(views)));
                });
    }

    @Override
    public TableStats stats(String space) {
        long[] counts = new long[2];
        Set<String> observations = new HashSet<>();
        db.scanPaginator(b -> b.tableName(imageTable).filterExpression("#s = :s")
                        .projectionExpression("#st, observation_id")
                        .expressionAttributeNames(Map.of("#s", "space", "#st", "status"))
                        .expressionAttributeValues(Map.of(":s", s(space))))
                .items().forEach(item -> {
                    if (RowStatus.OK.wire().equals(item.get("status").s())) {
                        counts[0]++;
                        observations.add(item.get("observation_id").s());
                    } else {
                        counts[1]++;
                    }
                });
        return new TableStats(space, counts[0], counts[1], observations.size());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static void sleepBackoff(int attempt) {
        try {
            Thread.sleep(Math.min(2000, 25L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a DynamoDB batch request", e);
        }
    }

    /**
     * An update expression over placeholder names ({@code #aN}, {@code :aN}), so attribute names
     * that are reserved words ({@code status}, {@code views}) need no care: the attributes present
     * in {@code attrs} are set, the others removed.
     */
    private record Update(String expression, Map<String, String> names, Map<String, AttributeValue> values) {

        static Update of(List<String> attributes, Map<String, AttributeValue> attrs) {
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            List<String> set = new ArrayList<>();
            List<String> remove = new ArrayList<>();
            for (int i = 0; i < attributes.size(); i++) {
                String name = attributes.get(i);
                names.put("#a" + i, name);
                if (attrs.containsKey(name)) {
                    values.put(":a" + i, attrs.get(name));
                    set.add("#a" + i + " = :a" + i);
                } else {
                    remove.add("#a" + i);
                }
            }
            return new Update("SET " + String.join(", ", set)
                    + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove)), names, values);
        }
    }
}
