package dev.viewfold.bench;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.Fold;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.aggregate.View;
import dev.viewfold.events.ChangeBatch;
import dev.viewfold.events.ImageRowChange;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.VectorBytes;
import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.store.dynamodb.ItemCodec;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import dev.viewfold.testing.DynamoDbLocal;
import dev.viewfold.testing.DynamoDbRequests;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Issue 18, table cost. Part 1: what storing vectors as float16 does to real embeddings (cosine to
 * the float32 vector, search rankings, robust folds and their outlier flags). Part 2: the aggregate
 * use case against DynamoDB Local, observations of 8 and 64 views, on the tables as the adapter
 * creates them (float16 rows, keys-only index): requests per fold by operation, and time per fold
 * (median, p90). DynamoDB Local's latency is not AWS's; one more round trip per fold is the cost of
 * the keys-only index. Not run in CI; the figures are in RESULTS.md.
 *
 * Part 3: whole stream deliveries (96 records) as the aggregate function takes them, folded record
 * by record (as it did until now) and as one batch (reads and fold writes of 25 observations at a
 * time in parallel), on the keys-only index and on an index projecting whole rows, in the same run.
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=TableCostBench [-Dbench.args="quantisation|aggregate|stream"]</pre>
 */
public final class TableCostBench {

    static final String BUCKET = "viewfold-images-123456789012-us-east-1";

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        String part = args.length > 0 ? args[0] : "all";
        Map<String, List<Embeddings.Item>> coil = Embeddings.of(shared, "coil100");
        if (!part.equals("aggregate")) {
            quantisation("coil100, MobileNetV2 int8", coil);
            quantisation("coil100, MobileNetV2 fp32", Embeddings.of(shared, "coil100",
                    Embeddings.mobilenetFp32(shared), "coil100-fp32"));
            quantisation("caltech101, MobileNetV2 fp32", Embeddings.of(shared, "caltech101",
                    Embeddings.mobilenetFp32(shared), "caltech101-fp32"));
        }
        if (part.equals("all") || part.equals("aggregate")) {
            aggregate(coil, 8);
            aggregate(coil, 64);
        }
        if (part.equals("all") || part.equals("stream")) {
            streamBatches(coil);
        }
        System.exit(0); // DynamoDB Local's server threads would keep the JVM alive
    }

    // ---------------------------------------------------------------- part 1: float16 on real embeddings

    static void quantisation(String name, Map<String, List<Embeddings.Item>> data) {
        List<float[]> exact = new ArrayList<>();
        data.values().forEach(views -> views.forEach(v -> exact.add(v.vector())));
        List<float[]> half = exact.stream().map(VectorBytes::roundToFloat16).toList();
        double minCos = 1;
        double sumCos = 0;
        double maxRelative = 0;
        for (int i = 0; i < exact.size(); i++) {
            double c = cosine(exact.get(i), half.get(i));
            minCos = Math.min(minCos, c);
            sumCos += c;
            for (int d = 0; d < exact.get(i).length; d++) {
                float x = exact.get(i)[d];
                if (Math.abs(x) >= 0x1p-14f) {
                    maxRelative = Math.max(maxRelative, Math.abs(half.get(i)[d] - x) / Math.abs(x));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n## %s: %d vectors of %d dimensions%n", name, exact.size(), exact.get(0).length);
        System.out.printf(Locale.ROOT, "cosine(float32, float16): min %.8f, mean %.8f; largest relative change of a"
                + " normal component %.2e (bound 2^-11 = %.2e)%n", minCos, sumCos / exact.size(), maxRelative, 0x1p-11);
        search(exact, half);
        folds(data);
    }

    /**
     * Every 7th vector queries all the others (leave one out): does the ranking change when the
     * gallery (and the query, when it is a stored row) holds float16?
     */
    static void search(List<float[]> exact, List<float[]> half) {
        int queries = 0;
        int sameTop1Upload = 0;
        int sameTop1Stored = 0;
        double overlapUpload = 0;
        double overlapStored = 0;
        double maxScoreShift = 0;
        for (int q = 0; q < exact.size(); q += 7) {
            int[] reference = top(exact.get(q), exact, q, 10);
            int[] upload = top(exact.get(q), half, q, 10); // a query image encoded now, against stored rows
            int[] stored = top(half.get(q), half, q, 10); // a query by image id: its stored row
            queries++;
            sameTop1Upload += reference[0] == upload[0] ? 1 : 0;
            sameTop1Stored += reference[0] == stored[0] ? 1 : 0;
            overlapUpload += overlap(reference, upload) / 10.0;
            overlapStored += overlap(reference, stored) / 10.0;
            maxScoreShift = Math.max(maxScoreShift,
                    Math.abs(cosine(half.get(q), half.get(reference[0])) - cosine(exact.get(q), exact.get(reference[0]))));
        }
        System.out.printf(Locale.ROOT, "search, %d queries: same top-1 %.4f (query encoded) / %.4f (query stored);"
                        + " top-10 overlap %.4f / %.4f; largest change of the top-1 score %.2e%n", queries,
                (double) sameTop1Upload / queries, (double) sameTop1Stored / queries, overlapUpload / queries,
                overlapStored / queries, maxScoreShift);
    }

    /** The robust fold (the deployment's) of each observation's views, every 9th of them, float32 and float16. */
    static void folds(Map<String, List<Embeddings.Item>> data) {
        RobustStrategy robust = new RobustStrategy(2, 0.1);
        int observations = 0;
        int sameFlags = 0;
        double minCos = 1;
        double minStoredCos = 1;
        double maxAgreementShift = 0;
        for (List<Embeddings.Item> items : data.values()) {
            if (items.size() < 8) {
                continue;
            }
            List<View> exact = new ArrayList<>();
            List<View> half = new ArrayList<>();
            for (int i = 0; i < items.size(); i += Math.max(1, items.size() / 8)) {
                Embeddings.Item it = items.get(i);
                exact.add(new View(it.observationId() + "/" + it.viewId(), it.viewId(), it.vector()));
                half.add(new View(it.observationId() + "/" + it.viewId(), it.viewId(),
                        VectorBytes.roundToFloat16(it.vector())));
            }
            Fold a = robust.fold(exact);
            Fold b = robust.fold(half);
            observations++;
            sameFlags += Arrays.equals(a.outlier(), b.outlier()) ? 1 : 0;
            minCos = Math.min(minCos, cosine(a.vector(), b.vector()));
            minStoredCos = Math.min(minStoredCos, cosine(a.vector(), VectorBytes.roundToFloat16(b.vector())));
            for (int i = 0; i < a.agreement().length; i++) {
                maxAgreementShift = Math.max(maxAgreementShift, Math.abs(a.agreement()[i] - b.agreement()[i]));
            }
        }
        if (observations == 0) {
            System.out.println("folds: no observation of 8 views or more");
            return;
        }
        System.out.printf(Locale.ROOT, "robust folds of %d observations (8 views each): same outlier flags %d;"
                        + " fold cosine min %.8f (stored as float16: %.8f); largest agreement change %.2e%n",
                observations, sameFlags, minCos, minStoredCos, maxAgreementShift);
    }

    static int[] top(float[] query, List<float[]> gallery, int skip, int k) {
        int[] best = new int[k];
        double[] scores = new double[k];
        Arrays.fill(best, -1);
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < gallery.size(); i++) {
            if (i == skip) {
                continue;
            }
            double s = dot(query, gallery.get(i));
            if (s > scores[k - 1]) {
                int at = k - 1;
                while (at > 0 && s > scores[at - 1]) {
                    scores[at] = scores[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                scores[at] = s;
                best[at] = i;
            }
        }
        return best;
    }

    static int overlap(int[] a, int[] b) {
        Set<Integer> in = new HashSet<>();
        Arrays.stream(a).forEach(in::add);
        return (int) Arrays.stream(b).filter(in::contains).count();
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    // ---------------------------------------------------------------- part 2: aggregate on DynamoDB Local

    static void aggregate(Map<String, List<Embeddings.Item>> coil, int views) {
        String space = "mobilenetv2-12-int8@bd5e58ff6fc0";
        DynamoDbRequests meter = new DynamoDbRequests();
        int n = DynamoDbLocal.nextTableSuffix();
        DynamoDbVectorTable table = new DynamoDbVectorTable(DynamoDbLocal.client(meter), "bench-images-" + n,
                "bench-observations-" + n);
        table.createTablesIfMissing();
        List<String> observations = putObservations(table, coil, space, 20, views).stream()
                .map(rows -> rows.get(0).observationId()).toList();
        Aggregator aggregator = robustAggregator(table);
        for (int warm = 0; warm < 5; warm++) {
            observations.forEach(o -> aggregator.aggregate(space, o, null, 0));
        }
        int rounds = views <= 8 ? 25 : 8;
        meter.reset();
        long[] foldNanos = timed(rounds, observations, o -> aggregator.aggregate(space, o, null, 0));
        String perFold = perCall(meter.requests(), foldNanos.length);
        meter.reset();
        long[] readNanos = timed(rounds, observations, o -> expect(views, o, table.imagesOfObservation(space, o).size()));
        String perRead = perCall(meter.requests(), readNanos.length);
        long[] oldNanos = wholeRowIndexReads(meter, "bench-images-" + n, space, observations, rounds, views);
        System.out.printf(Locale.ROOT, "%n## aggregate on DynamoDB Local, observations of %d views (%d folds)%n"
                        + "aggregate: %s median %.2f ms, p90 %.2f ms%n"
                        + "imagesOfObservation alone (keys-only index, then BatchGetItem): %s median %.2f ms, p90 %.2f ms%n"
                        + "the same rows by the old path (one Query of an index projecting whole rows): %s median %.2f ms, p90 %.2f ms%n",
                views, foldNanos.length, perFold, percentile(foldNanos, 50), percentile(foldNanos, 90),
                perRead, percentile(readNanos, 50), percentile(readNanos, 90),
                perCall(meter.requests(), oldNanos.length), percentile(oldNanos, 50), percentile(oldNanos, 90));
    }

    // ---------------------------------------------------------------- part 3: stream deliveries

    static final int OBSERVATIONS = 96;
    static final int VIEWS = 8;

    /**
     * 96 observations of 8 views in the table; each delivery is 96 INSERT records, in two shapes:
     * 12 observations with all 8 of their views (uploads of whole observations landing together), or
     * 96 observations with one view each (views spread over shards and time). Each delivery is folded
     * record by record (what the function did until now: one fold per record) and as one batch
     * ({@link ChangeBatch}, {@link Aggregator#aggregateAll}), on the keys-only index the adapter
     * creates and on a copy whose index projects whole rows (one Query a fold, no reads by key).
     */
    static void streamBatches(Map<String, List<Embeddings.Item>> coil) {
        String space = "mobilenetv2-12-int8@bd5e58ff6fc0";
        DynamoDbRequests meter = new DynamoDbRequests();
        int n = DynamoDbLocal.nextTableSuffix();
        String images = "bench-images-" + n;
        DynamoDbVectorTable keysOnly = new DynamoDbVectorTable(DynamoDbLocal.client(meter), images,
                "bench-observations-" + n);
        keysOnly.createTablesIfMissing();
        List<List<ImageRow>> observations = putObservations(keysOnly, coil, space, OBSERVATIONS, VIEWS);
        String copy = copyWithWholeRowIndex(images);
        WholeRowIndexTable wholeRows = new WholeRowIndexTable(new DynamoDbVectorTable(DynamoDbLocal.client(meter),
                copy, "bench-observations-" + n), DynamoDbLocal.client(meter), copy);
        Map<String, List<List<ImageRowChange>>> shapes = new java.util.LinkedHashMap<>();
        List<List<ImageRowChange>> whole = new ArrayList<>();
        for (int from = 0; from < OBSERVATIONS; from += 12) {
            List<ImageRowChange> delivery = new ArrayList<>();
            observations.subList(from, from + 12).forEach(rows -> rows.forEach(r -> delivery.add(insert(r))));
            whole.add(delivery);
        }
        shapes.put("12 observations x 8 views", whole);
        List<List<ImageRowChange>> spread = new ArrayList<>();
        for (int view = 0; view < VIEWS; view++) {
            int v = view;
            spread.add(observations.stream().map(rows -> insert(rows.get(v))).toList());
        }
        shapes.put("96 observations x 1 view", spread);

        System.out.printf(Locale.ROOT, "%n## stream deliveries of %d records on DynamoDB Local (%d observations of %d views)%n",
                OBSERVATIONS, OBSERVATIONS, VIEWS);
        System.out.println("| delivery | index | folded | requests per delivery | folds | fold WRU per record | median ms | p90 ms |");
        System.out.println("|---|---|---|---|---:|---:|---:|---:|");
        for (var shape : shapes.entrySet()) {
            for (var table : List.of(Map.entry("whole rows (before)", (dev.viewfold.store.VectorTable) wholeRows),
                    Map.entry("keys only (now)", (dev.viewfold.store.VectorTable) keysOnly))) {
                Aggregator aggregator = robustAggregator(table.getValue());
                for (boolean batched : new boolean[] {false, true}) {
                    java.util.function.ToIntFunction<List<ImageRowChange>> fold = batched
                            ? delivery -> foldBatch(aggregator, delivery) : delivery -> foldEach(aggregator, delivery);
                    for (int warm = 0; warm < 2; warm++) {
                        shape.getValue().forEach(fold::applyAsInt);
                    }
                    meter.reset();
                    int rounds = 3;
                    long[] nanos = new long[rounds * shape.getValue().size()];
                    int folds = 0;
                    int at = 0;
                    for (int r = 0; r < rounds; r++) {
                        for (List<ImageRowChange> delivery : shape.getValue()) {
                            long start = System.nanoTime();
                            folds += fold.applyAsInt(delivery);
                            nanos[at++] = System.nanoTime() - start;
                        }
                    }
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d | %.2f | %.1f | %.1f |%n", shape.getKey(),
                            table.getKey(), batched ? "once per observation, together" : "once per record",
                            perCall(meter.requests(), nanos.length).replace("requests per call ", ""),
                            folds / nanos.length, meter.writeUnits("bench-observations-" + n)
                                    / ((double) nanos.length * OBSERVATIONS), percentile(nanos, 50), percentile(nanos, 90));
                }
            }
        }
    }

    /** {@code count} COIL-100 objects as observations of {@code views} views, written to the table: their rows. */
    static List<List<ImageRow>> putObservations(DynamoDbVectorTable table, Map<String, List<Embeddings.Item>> coil,
                                                String space, int count, int views) {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        List<List<ImageRow>> observations = new ArrayList<>();
        for (var e : coil.entrySet()) {
            if (observations.size() == count) {
                break;
            }
            List<ImageRow> rows = new ArrayList<>();
            for (int i = 0; i < views; i++) {
                Embeddings.Item it = e.getValue().get(i * e.getValue().size() / views);
                rows.add(ImageRow.ok("s3://" + BUCKET + "/images/" + e.getKey() + "/" + it.viewId() + ".jpg", space,
                        e.getKey(), it.viewId(), "%064x".formatted(i), it.vector(), t0.plusMillis(i)));
            }
            table.putImages(rows);
            observations.add(rows);
        }
        if (observations.size() < count) {
            throw new IllegalStateException("COIL-100 gave " + observations.size() + " observations, " + count + " wanted");
        }
        return observations;
    }

    /** The deployment's aggregate: robust folds. */
    static Aggregator robustAggregator(dev.viewfold.store.VectorTable table) {
        return new Aggregator(table, new FoldStrategies(List.of(new MeanStrategy(), new RobustStrategy(2, 0.1)), "robust"),
                Clock.systemUTC());
    }

    static ImageRowChange insert(ImageRow row) {
        return new ImageRowChange(row.space(), row.imageId(), List.of(row.observationId()),
                row.updatedAt().toEpochMilli(), row.imageId(), row, null);
    }

    /** The function until now: each record's observations folded on their own, the record's row known. */
    static int foldEach(Aggregator aggregator, List<ImageRowChange> delivery) {
        int folds = 0;
        for (ImageRowChange c : delivery) {
            for (String observation : c.observations()) {
                aggregator.aggregate(c.space(), observation, null, c.version(),
                        new dev.viewfold.store.RowsChanged(List.of(c.newRow()), List.of()));
                folds++;
            }
        }
        return folds;
    }

    /** The function now. */
    static int foldBatch(Aggregator aggregator, List<ImageRowChange> delivery) {
        ChangeBatch batch = new ChangeBatch();
        delivery.forEach(batch::add);
        return aggregator.aggregateAll(batch.touched(), batch.known()).orThrow().size();
    }

    /**
     * The vector table as it was before the index went keys-only: each observation's rows come whole
     * from one Query of the index (several observations' Queries at once, as the adapter does).
     */
    static final class WholeRowIndexTable extends dev.viewfold.store.ForwardingVectorTable {
        private final software.amazon.awssdk.services.dynamodb.DynamoDbClient db;
        private final String imageTable;

        WholeRowIndexTable(DynamoDbVectorTable table, software.amazon.awssdk.services.dynamodb.DynamoDbClient db,
                           String imageTable) {
            super(table);
            this.db = db;
            this.imageTable = imageTable;
        }

        @Override
        public List<ImageRow> imagesOfObservation(String space, String observationId) {
            return queryWholeRows(db, imageTable, space, observationId);
        }

        @Override
        public List<Boolean> putFolds(List<dev.viewfold.store.ObservationRow> folds) {
            return table.putFolds(folds);
        }

        @Override
        public Map<String, List<ImageRow>> imagesOfObservations(String space, java.util.Collection<String> ids) {
            int inFlight = Math.max(1, Integer.getInteger("http.maxConnections", 5)); // as the adapter
            var pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, Math.min(inFlight, ids.size())));
            try {
                Map<String, java.util.concurrent.Future<List<ImageRow>>> calls = new java.util.LinkedHashMap<>();
                ids.forEach(id -> calls.put(id, pool.submit(() -> imagesOfObservation(space, id))));
                Map<String, List<ImageRow>> rows = new java.util.LinkedHashMap<>();
                for (var e : calls.entrySet()) {
                    rows.put(e.getKey(), e.getValue().get());
                }
                return rows;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static List<ImageRow> queryWholeRows(software.amazon.awssdk.services.dynamodb.DynamoDbClient db, String table,
                                         String space, String observation) {
        List<ImageRow> rows = new ArrayList<>();
        db.queryPaginator(b -> b.tableName(table).indexName(DynamoDbVectorTable.BY_OBSERVATION)
                        .keyConditionExpression("space_observation = :k")
                        .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(
                                ItemCodec.spaceObservation(space, observation)))))
                .items().forEach(item -> rows.add(ItemCodec.imageRow(item)));
        return rows;
    }

    /**
     * The read aggregate made before the index went keys-only, for comparison in the same run: the
     * image rows copied into a table whose {@code by-observation} index projects them whole, then one
     * Query per observation.
     */
    static long[] wholeRowIndexReads(DynamoDbRequests meter, String from, String space, List<String> observations,
                                     int rounds, int views) {
        String table = copyWithWholeRowIndex(from);
        var metered = DynamoDbLocal.client(meter);
        meter.reset();
        return timed(rounds, observations, o -> expect(views, o, queryWholeRows(metered, table, space, o).size()));
    }

    /** A copy of an image table whose {@code by-observation} index projects whole rows: the name of the copy. */
    static String copyWithWholeRowIndex(String from) {
        var db = DynamoDbLocal.client();
        String table = from + "-whole-rows";
        db.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("image_id").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("space").keyType(KeyType.RANGE).build())
                .attributeDefinitions(Stream.of("image_id", "space", "space_observation")
                        .map(a -> AttributeDefinition.builder().attributeName(a).attributeType(ScalarAttributeType.S).build())
                        .toList())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(DynamoDbVectorTable.BY_OBSERVATION)
                        .keySchema(KeySchemaElement.builder().attributeName("space_observation").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("image_id").keyType(KeyType.RANGE).build())
                        .projection(pr -> pr.projectionType(ProjectionType.ALL)).build()));
        db.waiter().waitUntilTableExists(b -> b.tableName(table));
        db.scanPaginator(b -> b.tableName(from)).items().forEach(item -> db.putItem(b -> b.tableName(table).item(item)));
        return table;
    }

    /** Each observation {@code rounds} times in turn: the nanoseconds of every call. */
    static long[] timed(int rounds, List<String> observations, java.util.function.Consumer<String> call) {
        long[] nanos = new long[rounds * observations.size()];
        int at = 0;
        for (int r = 0; r < rounds; r++) {
            for (String o : observations) {
                long start = System.nanoTime();
                call.accept(o);
                nanos[at++] = System.nanoTime() - start;
            }
        }
        return nanos;
    }

    static void expect(int views, String observation, int found) {
        if (found != views) {
            throw new IllegalStateException(observation + ": " + found + " views read, " + views + " written");
        }
    }

    static String perCall(Map<String, Long> requests, int calls) {
        StringBuilder out = new StringBuilder("requests per call ");
        requests.forEach((op, count) -> out.append(op).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", count / (double) calls)).append(", "));
        return out.toString();
    }

    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }
}
