package dev.viewfold.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the DynamoDB stream of the image table as Lambda delivers it ({@code Records} of
 * {@code aws:dynamodb} with {@code NEW_AND_OLD_IMAGES}): INSERT, MODIFY and REMOVE all become a
 * change naming the observations to refold.
 */
public final class DynamoDbStreamParser {

    private DynamoDbStreamParser() {
    }

    public static boolean isStreamEvent(JsonNode event) {
        JsonNode first = event.path("Records").path(0);
        return "aws:dynamodb".equals(first.path("eventSource").asText());
    }

    /** One change per record; a record that cannot be read throws, naming its sequence number. */
    public static List<ImageRowChange> parse(JsonNode event) {
        List<ImageRowChange> out = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            out.add(change(record));
        }
        return out;
    }

    public static ImageRowChange change(JsonNode record) {
        JsonNode ddb = record.path("dynamodb");
        String sequence = ddb.path("SequenceNumber").asText(null);
        String imageId = ddb.path("Keys").path("image_id").path("S").asText(null);
        String space = ddb.path("Keys").path("space").path("S").asText(null);
        if (imageId == null || space == null) {
            throw new IllegalArgumentException("stream record " + sequence + " has no image_id/space keys"
                    + " (is the stream on the image table?)");
        }
        Set<String> observations = new LinkedHashSet<>();
        for (String image : List.of("OldImage", "NewImage")) {
            String obs = ddb.path(image).path("observation_id").path("S").asText(null);
            if (obs != null) {
                observations.add(obs);
            }
        }
        if (observations.isEmpty()) {
            throw new IllegalArgumentException("stream record " + sequence + " carries no observation_id:"
                    + " the stream must be NEW_AND_OLD_IMAGES");
        }
        long version = ddb.path("NewImage").path("updated_at").path("N").asLong(0);
        if ("REMOVE".equals(record.path("eventName").asText()) || version == 0) {
            version = ddb.path("ApproximateCreationDateTime").asLong(0) * 1000;
        }
        return new ImageRowChange(space, imageId, List.copyOf(observations), version, sequence);
    }
}
