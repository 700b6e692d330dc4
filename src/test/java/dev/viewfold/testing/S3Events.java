package dev.viewfold.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** S3 event notifications shaped exactly as AWS sends them (keys given already URL-encoded). */
public final class S3Events {

    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Events() {
    }

    public static ObjectNode event(String bucket, String eventName, String... encodedKeys) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (String key : encodedKeys) {
            records.add(record(bucket, eventName, key));
        }
        return event;
    }

    public static ObjectNode created(String bucket, String... encodedKeys) {
        return event(bucket, "ObjectCreated:Put", encodedKeys);
    }

    public static ObjectNode record(String bucket, String eventName, String encodedKey) {
        ObjectNode r = JSON.createObjectNode();
        r.put("eventVersion", "2.1");
        r.put("eventSource", "aws:s3");
        r.put("awsRegion", "us-east-1");
        r.put("eventTime", "2026-11-24T10:00:00.000Z");
        r.put("eventName", eventName);
        r.putObject("userIdentity").put("principalId", "AWS:AIDAEXAMPLE");
        r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        r.putObject("responseElements").put("x-amz-request-id", "C3D13FE58DE4C810");
        ObjectNode s3 = r.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "viewfold-uploads");
        ObjectNode b = s3.putObject("bucket");
        b.put("name", bucket);
        b.putObject("ownerIdentity").put("principalId", "A3NL1KOZZKExample");
        b.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode o = s3.putObject("object");
        o.put("key", encodedKey);
        o.put("size", 1024);
        o.put("eTag", "d41d8cd98f00b204e9800998ecf8427e");
        o.put("sequencer", "0055AED6DCD90281E5");
        return r;
    }

    /** The Lambda SQS event that carries S3 notifications as message bodies. */
    public static ObjectNode sqsEvent(ObjectNode... bodies) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        int i = 0;
        for (ObjectNode body : bodies) {
            ObjectNode r = records.addObject();
            r.put("messageId", "059f36b4-87a3-44ab-83d2-66197512806" + i++);
            r.put("receiptHandle", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a");
            r.put("body", body.toString());
            r.putObject("attributes").put("ApproximateReceiveCount", "1");
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", "arn:aws:sqs:us-east-1:111122223333:viewfold-encode");
            r.put("awsRegion", "us-east-1");
        }
        return event;
    }
}
