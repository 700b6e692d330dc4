package dev.viewfold.events;

import dev.viewfold.errors.Refused;
import dev.viewfold.store.BucketLayout;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads S3 event notifications exactly as AWS delivers them: an S3 event ({@code Records} of
 * {@code aws:s3}), the {@code s3:TestEvent} S3 sends when notifications are configured, an SQS
 * message body holding either, or a Lambda SQS event whose records carry such bodies (also through
 * SNS). Keys arrive form-URL-encoded ({@code +} for a space, {@code %2F}) and are decoded here.
 * {@code ObjectCreated:*} records are objects to encode, {@code ObjectRemoved:*} objects whose rows
 * go; other records are counted as ignored. Also a re-encode batch as the re-encode state machine
 * sends it from its S3 listing: {@code {"source":"viewfold.reencode","bucket":b,"keys":[raw keys]}}.
 */
public final class S3EventParser {

    /** S3's bucket naming rules: 3–63 of lower-case letters, digits, dots and hyphens. */
    private static final java.util.regex.Pattern BUCKET_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final ObjectMapper json;

    public S3EventParser(ObjectMapper json) {
        this.json = json;
    }

    /** Parses a message body (or any JSON text) holding a notification. */
    public S3Notification parse(String body) {
        try {
            return parse(json.readTree(body));
        } catch (JsonProcessingException e) {
            throw Refused.invalid("not JSON: " + e.getOriginalMessage());
        }
    }

    public S3Notification parse(JsonNode event) {
        List<ObjectCreated> created = new ArrayList<>();
        List<ObjectCreated> removed = new ArrayList<>();
        int ignored = collect(event, created, removed, 0);
        return new S3Notification(created, removed, ignored);
    }

    private int collect(JsonNode event, List<ObjectCreated> created, List<ObjectCreated> removed, int depth) {
        if (depth > 3) {
            throw Refused.invalid("event nested too deeply");
        }
        if (event == null || !event.isObject()) {
            throw Refused.invalid("not an S3 event notification: expected a JSON object");
        }
        if ("s3:TestEvent".equals(event.path("Event").asText())) {
            return 1;
        }
        if (REENCODE.equals(event.path("source").asText())) {
            return reencode(event, created);
        }
        if (event.has("Type") && event.has("Message")) {
            // SNS notification wrapping the S3 event
            return collect(parseText(event.path("Message").asText()), created, removed, depth + 1);
        }
        JsonNode records = event.get("Records");
        if (records == null || !records.isArray()) {
            throw Refused.invalid("not an S3 event notification: no Records array");
        }
        int ignored = 0;
        for (JsonNode record : records) {
            String source = record.path("eventSource").asText(record.path("EventSource").asText());
            switch (source) {
                case "aws:sqs" -> ignored += collect(parseText(record.path("body").asText()), created, removed, depth + 1);
                case "aws:sns" -> ignored += collect(parseText(record.path("Sns").path("Message").asText()), created, removed, depth + 1);
                case "aws:s3" -> {
                    String name = record.path("eventName").asText();
                    String rawKey = record.path("s3").path("object").path("key").asText();
                    if (rawKey.endsWith("/")) {
                        ignored++; // a "folder" marker, not an image
                    } else if (BucketLayout.isSystemKey(decodeKey(rawKey))) {
                        ignored++; // what Viewfold itself writes to the bucket: snapshots, maps, heads
                    } else if (name.startsWith("ObjectCreated:")) {
                        created.add(objectCreated(record));
                    } else if (name.startsWith("ObjectRemoved:")) {
                        removed.add(objectCreated(record));
                    } else {
                        ignored++;
                    }
                }
                default -> throw Refused.invalid("unsupported event record source '" + source
                        + "'; expected aws:s3, aws:sqs or aws:sns");
            }
        }
        return ignored;
    }

    static final String REENCODE = "viewfold.reencode";
    /** Keys in one re-encode message: the state machine batches 100; SQS's 256 KiB allows about this many. */
    private static final int MAX_REENCODE_KEYS = 200;

    /** Listed keys are not URL-encoded (S3's listing gives them as they are), unlike notifications. */
    private static int reencode(JsonNode event, List<ObjectCreated> created) {
        String bucket = event.path("bucket").asText();
        JsonNode keys = event.get("keys");
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw Refused.invalid("re-encode message: '" + Refused.echo(bucket) + "' is not an S3 bucket name");
        }
        if (keys == null || !keys.isArray() || keys.size() > MAX_REENCODE_KEYS) {
            throw Refused.invalid("re-encode message: keys must be an array of at most " + MAX_REENCODE_KEYS + " keys");
        }
        int ignored = 0;
        for (JsonNode k : keys) {
            String key = k.asText();
            if (!k.isTextual() || key.isEmpty()) {
                throw Refused.invalid("re-encode message: every key must be a non-empty string");
            }
            if (key.endsWith("/") || BucketLayout.isSystemKey(key)) {
                ignored++;
            } else {
                created.add(new ObjectCreated(bucket, key, -1, null, null, null));
            }
        }
        return ignored;
    }

    private static ObjectCreated objectCreated(JsonNode record) {
        JsonNode s3 = record.path("s3");
        String bucket = s3.path("bucket").path("name").asText();
        JsonNode object = s3.path("object");
        String rawKey = object.path("key").asText();
        if (bucket.isEmpty() || rawKey.isEmpty()) {
            throw Refused.invalid("S3 record without s3.bucket.name or s3.object.key");
        }
        if (!BUCKET_NAME.matcher(bucket).matches()) {
            throw Refused.invalid("'" + bucket + "' is not an S3 bucket name");
        }
        String sequencer = text(object, "sequencer");
        dev.viewfold.store.Sequencers.comparable(sequencer); // refused here, before it can outrank real ones
        return new ObjectCreated(bucket, decodeKey(rawKey),
                object.path("size").asLong(-1), text(object, "eTag"), text(object, "versionId"), sequencer);
    }

    /** S3 sends keys form-URL-encoded; a malformed escape is refused, not thrown as a bug. */
    private static String decodeKey(String rawKey) {
        try {
            return URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Refused.invalid("object key '" + Refused.echo(rawKey) + "' is not URL-encoded as S3 sends keys: "
                    + e.getMessage());
        }
    }

    private JsonNode parseText(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw Refused.invalid("wrapped message is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
