package dev.viewfold.events.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.events.ImageRowChange;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.VectorBytes;
import dev.viewfold.store.dynamodb.DynamoDbVectorTable;
import dev.viewfold.testing.DynamoDbLocal;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DynamoDbStreamParserTest {

    final ObjectMapper json = new ObjectMapper();

    static String image(String obs, long updated, boolean withVector) {
        return "{\"image_id\":{\"S\":\"s3://b/k.jpg\"},\"space\":{\"S\":\"m@1\"},\"observation_id\":{\"S\":\"" + obs
                + "\"},\"view_id\":{\"S\":\"k\"},\"status\":{\"S\":\"ok\"},\"created_at\":{\"N\":\"" + updated
                + "\"},\"updated_at\":{\"N\":\"" + updated + "\"}"
                + (withVector ? ",\"vector\":{\"B\":\"AACAPwAAAAA=\"}" : "") + "}";
    }

    static String record(String name, String oldImage, String newImage, long approxSeconds) {
        return "{\"eventID\":\"e\",\"eventName\":\"" + name + "\",\"eventSource\":\"aws:dynamodb\",\"dynamodb\":{"
                + "\"ApproximateCreationDateTime\":" + approxSeconds + ",\"Keys\":{\"image_id\":{\"S\":\"s3://b/k.jpg\"},"
                + "\"space\":{\"S\":\"m@1\"}}" + (oldImage == null ? "" : ",\"OldImage\":" + oldImage)
                + (newImage == null ? "" : ",\"NewImage\":" + newImage) + ",\"SequenceNumber\":\"42\"}}";
    }

    @Test
    void aRemovalWithinTheSameSecondStillOutranksTheRowsOwnWrite() throws Exception {
        long written = 1_795_000_005_700L; // xx:05.700
        var change = DynamoDbStreamParser.change(json.readTree(record("REMOVE", image("o", written, true), null, 1_795_000_005L)));
        assertEquals(1_795_000_005_999L, change.version(), "the end of the stream's second, not …05.000");
        assertNull(change.newRow());
        assertEquals("o", change.oldRow().observationId());
        assertEquals(change.version(), change.oldRow().updatedAt().toEpochMilli());
        long skewed = 1_795_000_006_200L; // written by a worker whose clock runs ahead
        var late = DynamoDbStreamParser.change(json.readTree(record("REMOVE", image("o", skewed, false), null, 1_795_000_005L)));
        assertEquals(skewed + 1, late.version());
    }

    @Test
    void aModifyThatMovesAViewNamesBothObservationsAndCarriesTheNewRow() throws Exception {
        var change = DynamoDbStreamParser.change(json.readTree(record("MODIFY", image("a", 1000, true), image("b", 2000, true), 1)));
        assertEquals(List.of("a", "b"), change.observations());
        assertEquals(2000, change.version());
        assertArrayEquals(new float[] {1, 0}, change.newRow().vector(), 0f);
        assertEquals("b", change.newRow().observationId());
    }

    @Test
    void aRowWrittenByTheTableIsTheRowItsStreamRecordCarries() throws Exception {
        int n = DynamoDbLocal.nextTableSuffix();
        DynamoDbVectorTable table = new DynamoDbVectorTable(DynamoDbLocal.client(), "stream-images-" + n,
                "stream-observations-" + n);
        table.createTablesIfMissing();
        ImageRow written = ImageRow.ok("s3://b/images/mug/front.jpg", "m@1", "mug", "front", "c0ffee",
                new float[] {0.6f, 0.8f}, Instant.parse("2026-12-01T10:00:00.123Z"))
                .withLabels(Set.of("kitchen", "mug")).fromEvent("0062F7A1B2C3D4E5F6");
        table.putImage(written);

        // Read back the record the table's stream holds, as Lambda's event source mapping would.
        var streams = DynamoDbLocal.streams();
        String arn = DynamoDbLocal.client().describeTable(b -> b.tableName("stream-images-" + n)).table()
                .latestStreamArn();
        String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        Record record = streams.getRecords(b -> b.shardIterator(iterator)).records().get(0);
        ImageRowChange change = DynamoDbStreamParser.change(json.readTree(asLambdaDelivers(record)));

        ImageRow read = change.newRow();
        assertEquals(List.of("mug"), change.observations());
        assertEquals(written.imageId(), read.imageId());
        assertEquals(written.space(), read.space());
        assertEquals(written.observationId(), read.observationId());
        assertEquals(written.viewId(), read.viewId());
        assertEquals(written.status(), read.status());
        assertEquals(written.contentHash(), read.contentHash());
        assertArrayEquals(VectorBytes.roundToFloat16(written.vector()), read.vector(), 0f, "the table's float16");
        assertEquals(written.createdAt(), read.createdAt());
        assertEquals(written.updatedAt(), read.updatedAt());
        assertEquals(written.sequencer(), read.sequencer(), "the S3 event's sequencer travels with the row");
        assertEquals(written.labels(), read.labels());
    }

    /** A stream record as Lambda's event carries it: DynamoDB's typed JSON (base64 for binary). */
    private String asLambdaDelivers(Record r) throws Exception {
        var event = json.createObjectNode();
        event.put("eventID", r.eventID()).put("eventName", r.eventNameAsString()).put("eventSource", "aws:dynamodb");
        var ddb = event.putObject("dynamodb");
        ddb.put("ApproximateCreationDateTime", r.dynamodb().approximateCreationDateTime().getEpochSecond());
        ddb.set("Keys", typed(r.dynamodb().keys()));
        if (r.dynamodb().hasNewImage()) {
            ddb.set("NewImage", typed(r.dynamodb().newImage()));
        }
        if (r.dynamodb().hasOldImage()) {
            ddb.set("OldImage", typed(r.dynamodb().oldImage()));
        }
        ddb.put("SequenceNumber", r.dynamodb().sequenceNumber());
        return json.writeValueAsString(event);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode typed(java.util.Map<String, AttributeValue> item) {
        var out = json.createObjectNode();
        item.forEach((name, v) -> {
            var t = out.putObject(name);
            switch (v.type()) {
                case S -> t.put("S", v.s());
                case N -> t.put("N", v.n());
                case B -> t.put("B", java.util.Base64.getEncoder().encodeToString(v.b().asByteArray()));
                case BOOL -> t.put("BOOL", v.bool());
                case SS -> v.ss().forEach(t.putArray("SS")::add);
                case L -> {
                    var list = t.putArray("L");
                    v.l().forEach(e -> list.add(typed(java.util.Map.of("x", e)).get("x")));
                }
                case M -> t.set("M", typed(v.m()));
                default -> throw new IllegalStateException("not written by the table: " + v);
            }
        });
        return out;
    }

    @Test
    void aRecordWithoutKeysIsRefused() throws Exception {
        var e = assertThrows(dev.viewfold.errors.Refused.class, () -> DynamoDbStreamParser.change(
                json.readTree("{\"eventName\":\"INSERT\",\"dynamodb\":{\"SequenceNumber\":\"7\",\"Keys\":{}}}")));
        assertEquals("stream record 7 has no image_id/space keys (is the stream on the image table?)", e.getMessage());
    }
}
