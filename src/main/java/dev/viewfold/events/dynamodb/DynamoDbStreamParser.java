package dev.viewfold.events.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.viewfold.errors.Refused;
import dev.viewfold.events.ImageRowChange;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.dynamodb.ItemCodec;
import dev.viewfold.store.dynamodb.StreamItems;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the DynamoDB stream of the image table as Lambda delivers it ({@code Records} of
 * {@code aws:dynamodb} with {@code NEW_AND_OLD_IMAGES}): INSERT, MODIFY and REMOVE all become a
 * change naming the observations to refold. The row images are read with the table's own
 * {@link ItemCodec}, so a row read from the stream is the row the table wrote.
 */
public final class DynamoDbStreamParser {

    private DynamoDbStreamParser() {
    }

    public static boolean isStreamEvent(JsonNode event) {
        JsonNode first = event.path("Records").path(0);
        return "aws:dynamodb".equals(first.path("eventSource").asText());
    }

    /**
     * One change per record.
     *
     * @throws Refused naming the record's sequence number, for a record that cannot be read
     */
    public static ImageRowChange change(JsonNode record) {
        JsonNode ddb = record.path("dynamodb");
        String sequence = ddb.path("SequenceNumber").asText(null);
        String imageId = ddb.path("Keys").path(ItemCodec.IMAGE_ID).path("S").asText(null);
        String space = ddb.path("Keys").path(ItemCodec.SPACE).path("S").asText(null);
        if (imageId == null || space == null) {
            throw Refused.invalid("stream record " + sequence + " has no image_id/space keys"
                    + " (is the stream on the image table?)");
        }
        Set<String> observations = new LinkedHashSet<>();
        for (String image : List.of("OldImage", "NewImage")) {
            String obs = ddb.path(image).path(ItemCodec.OBSERVATION_ID).path("S").asText(null);
            if (obs != null) {
                observations.add(obs);
            }
        }
        if (observations.isEmpty()) {
            throw Refused.invalid("stream record " + sequence + " carries no observation_id:"
                    + " the stream must be NEW_AND_OLD_IMAGES");
        }
        boolean removed = "REMOVE".equals(record.path("eventName").asText());
        long version;
        if (removed) {
            // The stream's time has whole seconds; a removal must still outrank the row's own write.
            long approx = ddb.path("ApproximateCreationDateTime").asLong(0) * 1000 + 999;
            version = Math.max(approx, ddb.path("OldImage").path(ItemCodec.UPDATED_AT).path("N").asLong(0) + 1);
        } else {
            version = ddb.path("NewImage").path(ItemCodec.UPDATED_AT).path("N").asLong(0);
        }
        ImageRow newRow = removed ? null : row(ddb.path("NewImage"));
        ImageRow oldRow = row(ddb.path("OldImage"));
        if (removed && oldRow != null) {
            oldRow = oldRow.touched(java.time.Instant.ofEpochMilli(version)); // gone as of the removal
        }
        return new ImageRowChange(space, imageId, List.copyOf(observations), version, sequence, newRow, oldRow);
    }

    /** An image row from a stream image, or null when the image is absent or incomplete (the refold reads the table). */
    static ImageRow row(JsonNode image) {
        if (image.isMissingNode()) {
            return null;
        }
        try {
            return ItemCodec.imageRow(StreamItems.attributes(image));
        } catch (RuntimeException incomplete) {
            return null;
        }
    }
}
