package dev.viewfold.store.dynamodb;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.store.ImageRow;
import dev.viewfold.testing.DynamoDbLocal;
import dev.viewfold.testing.DynamoDbRequests;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one image costs in DynamoDB write units, from the items the adapter really sends (captured
 * on their way to DynamoDB Local): its row, the row's entry in the {@code by-observation} index as
 * the index projects it, and the fold the aggregate function rewrites after each image (an update
 * bills the larger of the item before and after). An observation of 8 views, as in the cost estimate
 * of infra/README.md; rows shaped as on AWS (S3 URIs, a SHA-256, an S3 sequencer, a label).
 * Before: float32 vectors and an index projecting whole rows; after: float16 and keys only.
 */
class WriteUnitsPerImageTest {

    static final String SPACE = "mobilenetv2-12-int8@bd5e58ff6fc0";
    static final String BUCKET = "viewfold-images-123456789012-us-east-1";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final int VIEWS = 8;

    /** Write units per image by item sizes (row, index entry, fold), and as DynamoDB Local metered them. */
    record Cost(double row, double index, double fold, int rowBytes, int foldBytes, double metered) {
        double perImage() {
            return row + index + fold;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f WRU per image: row %.2f (%d B), index %.2f, fold %.3f (%d B at 8 views);"
                    + " DynamoDB Local metered %.3f", perImage(), row, rowBytes, index, fold, foldBytes, metered);
        }
    }

    @Test
    void float16AndAKeysOnlyIndexCostAtMostHalfOfTodaysWriteUnitsPerImage() {
        Cost before = cost(VectorFormat.FLOAT32, Projection.builder().projectionType(ProjectionType.ALL).build());
        Cost after = cost(VectorFormat.FLOAT16, null);
        System.out.println("before: " + before + "\nafter:  " + after);
        // the figures infra/README.md gives (the float32 fold passes 6 KB, 7 units, as its views grow)
        assertEquals(6 + 6 + 6.375, before.perImage(), 1e-9, before.toString());
        assertEquals(3 + 1 + 3.875, after.perImage(), 1e-9, after.toString());
        assertTrue(after.perImage() <= before.perImage() / 2, after + " against " + before);
        assertEquals(before.perImage(), before.metered(), 1e-9, "DynamoDB Local's own metering agrees");
        assertEquals(after.perImage(), after.metered(), 1e-9, "DynamoDB Local's own metering agrees");
    }

    /**
     * Writes the views of one observation one by one, each followed by the aggregate function's
     * refold, and prices every write the adapter sent.
     *
     * @param projection the index's projection, the image table created here with it as the stack
     *                   did before; null: the table {@link DynamoDbVectorTable} creates
     */
    static Cost cost(VectorFormat format, Projection projection) {
        int n = DynamoDbLocal.nextTableSuffix();
        String images = "wcu-images-" + n;
        String observations = "wcu-observations-" + n;
        DynamoDbRequests sent = new DynamoDbRequests();
        DynamoDbClient db = DynamoDbLocal.client(sent);
        if (projection != null) {
            createImageTable(db, images, projection);
        }
        DynamoDbVectorTable table = new DynamoDbVectorTable(db, images, observations, format);
        table.createTablesIfMissing();
        GlobalSecondaryIndexDescription index = db.describeTable(b -> b.tableName(images)).table()
                .globalSecondaryIndexes().get(0);
        if (projection == null) {
            projection = index.projection();
            assertEquals(ProjectionType.KEYS_ONLY, projection.projectionType(), "the table the adapter creates");
        }
        Aggregator aggregator = new Aggregator(table, new FoldStrategies(List.of(new MeanStrategy(),
                new RobustStrategy(2, 0.1)), "robust"), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

        Random random = new Random(18);
        double rowUnits = 0;
        double indexUnits = 0;
        double foldUnits = 0;
        int rowBytes = 0;
        int foldBytes = 0;
        double metered = 0;
        for (int i = 0; i < VIEWS; i++) {
            sent.reset();
            table.putImages(List.of(realisticRow("obj001", i, random)));
            aggregator.aggregate(SPACE, "obj001", null, 0); // the stream's refold after each image
            int folds = 0;
            for (DynamoDbRequests.Write w : sent.writes()) {
                if (w.table().equals(images)) {
                    rowBytes = ItemSizes.bytes(w.item());
                    rowUnits += ItemSizes.writeUnits(rowBytes);
                    indexUnits += ItemSizes.writeUnits(ItemSizes.bytes(indexEntry(w.item(), index.keySchema(), projection)));
                } else {
                    assertEquals("UpdateItem", w.operation(), "a fold is an update under the version condition");
                    folds++;
                    int was = foldBytes;
                    foldBytes = ItemSizes.bytes(db.getItem(b -> b.tableName(observations).key(w.item())).item());
                    foldUnits += ItemSizes.writeUnits(Math.max(was, foldBytes));
                }
            }
            assertEquals(1, folds, "one fold per image");
            metered += sent.writeUnits(images) + sent.writeUnits(observations);
        }
        return new Cost(rowUnits / VIEWS, indexUnits / VIEWS, foldUnits / VIEWS, rowBytes, foldBytes, metered / VIEWS);
    }

    /** The image table as {@link DynamoDbVectorTable#createTablesIfMissing()} makes it, with this index projection. */
    static void createImageTable(DynamoDbClient db, String name, Projection projection) {
        db.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(ItemCodec.IMAGE_ID), string(ItemCodec.SPACE), string(ItemCodec.SPACE_OBSERVATION))
                .keySchema(key(ItemCodec.IMAGE_ID, KeyType.HASH), key(ItemCodec.SPACE, KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName(DynamoDbVectorTable.BY_OBSERVATION).projection(projection)
                        .keySchema(key(ItemCodec.SPACE_OBSERVATION, KeyType.HASH), key(ItemCodec.IMAGE_ID, KeyType.RANGE))));
        db.waiter().waitUntilTableExists(b -> b.tableName(name));
    }

    static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /** What the index holds of an item: the table's and the index's keys, and the projected attributes. */
    static Map<String, AttributeValue> indexEntry(Map<String, AttributeValue> item, List<KeySchemaElement> indexKeys,
                                                  Projection projection) {
        if (projection.projectionType() == ProjectionType.ALL) {
            return item;
        }
        List<String> names = new ArrayList<>(List.of(ItemCodec.IMAGE_ID, ItemCodec.SPACE));
        indexKeys.forEach(k -> names.add(k.attributeName()));
        if (projection.projectionType() == ProjectionType.INCLUDE) {
            names.addAll(projection.nonKeyAttributes());
        }
        Map<String, AttributeValue> entry = new HashMap<>();
        names.stream().filter(item::containsKey).forEach(a -> entry.put(a, item.get(a)));
        return entry;
    }

    /** A row as encode writes it on AWS: an S3 URI, the model's space, a SHA-256, an S3 sequencer, a label. */
    static ImageRow realisticRow(String observation, int view, Random random) {
        float[] v = new float[1280];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.abs(random.nextGaussian()); // MobileNetV2's pooled features are non-negative
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        String hash = String.format("%064x", new BigInteger(256, random));
        return ImageRow.ok("s3://" + BUCKET + "/images/" + observation + "/" + view + ".jpg", SPACE, observation,
                        Integer.toString(view), hash, v, T0.plusMillis(view * 137L))
                .fromEvent(String.format("0067%014X", random.nextLong() & 0xFFFFFFFFFFFFFFL))
                .withLabels(Set.of("red mug"));
    }
}
