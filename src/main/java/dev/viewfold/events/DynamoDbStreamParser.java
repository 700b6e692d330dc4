package dev.viewfold.events;

import com.fasterxml.jackson.databind.JsonNode;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorBytes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
        boolean removed = "REMOVE".equals(record.path("eventName").asText());
        long version;
        if (removed) {
            // The stream's time has whole seconds; a removal must still outrank the row's own write.
            long approx = ddb.path("ApproximateCreationDateTime").asLong(0) * 1000 + 999;
            version = Math.max(approx, ddb.path("OldImage").path("updated_at").path("N").asLong(0) + 1);
        } else {
            version = ddb.path("NewImage").path("updated_at").path("N").asLong(0);
        }
        ImageRow newRow = removed ? null : row(ddb.path("NewImage"), version);
        ImageRow oldRow = row(ddb.path("OldImage"), removed ? version : 0);
        return new ImageRowChange(space, imageId, List.copyOf(observations), version, sequence, newRow, oldRow);
    }

    /**
     * An image row from a stream image (DynamoDB's typed JSON), or null when the image is absent
     * or incomplete; {@code at} > 0 overrides its updated time (a removal's time).
     */
    static ImageRow row(JsonNode image, long at) {
        if (image.isMissingNode() || !image.has("image_id") || !image.has("status") || !image.has("updated_at")) {
            return null;
        }
        try {
            RowStatus status = RowStatus.fromWire(image.path("status").path("S").asText());
            float[] vector = image.has("vector")
                    ? VectorBytes.decode(Base64.getDecoder().decode(image.path("vector").path("B").asText())) : null;
            Instant updated = Instant.ofEpochMilli(at > 0 ? at : image.path("updated_at").path("N").asLong());
            Instant created = image.has("created_at") ? Instant.ofEpochMilli(image.path("created_at").path("N").asLong()) : updated;
            return new ImageRow(image.path("image_id").path("S").asText(), image.path("space").path("S").asText(),
                    image.path("observation_id").path("S").asText(), text(image, "view_id"), status,
                    text(image, "error"), text(image, "content_hash"), vector, created, updated, null,
                    labels(image));
        } catch (RuntimeException e) {
            return null; // incomplete: the refold reads the table instead
        }
    }

    private static java.util.Set<String> labels(JsonNode image) {
        java.util.List<String> out = new java.util.ArrayList<>();
        image.path("labels").path("SS").forEach(l -> out.add(l.asText()));
        return dev.viewfold.store.Labels.copyOf(out);
    }

    private static String text(JsonNode image, String name) {
        JsonNode v = image.path(name).path("S");
        return v.isMissingNode() ? null : v.asText();
    }
}
