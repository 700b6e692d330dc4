package dev.viewfold.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

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
    void aRecordWithoutKeysIsRefused() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> DynamoDbStreamParser.change(
                json.readTree("{\"eventName\":\"INSERT\",\"dynamodb\":{\"SequenceNumber\":\"7\",\"Keys\":{}}}")));
        assertEquals("stream record 7 has no image_id/space keys (is the stream on the image table?)", e.getMessage());
    }
}
