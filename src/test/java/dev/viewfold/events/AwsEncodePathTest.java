package dev.viewfold.events;

import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.events.sqs.SqsEncodeWorker;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.VectorTable;
import dev.viewfold.testing.LocalAwsServers;
import dev.viewfold.testing.S3Events;
import dev.viewfold.testing.Shared;
import dev.viewfold.space.Spaces;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.viewfold.testing.LocalAwsServers.BUCKET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS path end to end against real local servers: images in S3Proxy, S3 notifications (bare,
 * in SQS messages on ElasticMQ), rows in DynamoDB Local.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalAwsServers.class, restrictToAnnotatedClass = true)
class AwsEncodePathTest {

    @Inject
    S3Client s3;

    @Inject
    DynamoDbClient dynamoDb;

    @Inject
    SqsClient sqs;

    @Inject
    VectorTable table;

    @Inject
    Spaces spaces;

    @Inject
    S3EventParser parser;

    @Inject
    NotificationEncoder notifications;

    @TestHTTPResource("/encode")
    URL encodeUrl;

    @Test
    void theSameEventTwiceLeavesOneRowPerImage() throws IOException {
        upload("images/mug one/0.jpg", "obj5__0.jpg", Map.of());
        upload("images/mug one/90.jpg", "obj5__90.jpg", Map.of());
        var event = S3Events.created(BUCKET, "images/mug+one/0.jpg", "images%2Fmug+one%2F90.jpg");

        given().contentType(ContentType.JSON).body(event.toString()).post(encodeUrl)
                .then().statusCode(200).body("encoded", equalTo(2)).body("unchanged", equalTo(0));
        given().contentType(ContentType.JSON).body(event.toString()).post(encodeUrl)
                .then().statusCode(200).body("encoded", equalTo(0)).body("unchanged", equalTo(2));

        List<Map<String, AttributeValue>> items = scan("s3://" + BUCKET + "/images/mug one/");
        assertEquals(2, items.size(), "one row per object, however often its event arrives");
        for (var item : items) {
            assertEquals("mug one", item.get("observation_id").s());
            assertEquals("ok", item.get("status").s());
            assertEquals(1280 * 2, item.get("vector_f16").b().asByteArray().length, "float16 vector, 1280-d");
            assertEquals(null, item.get("vector"), "one vector per row");
        }
        ImageRow row = table.findImage(spaces.model().id(), "s3://" + BUCKET + "/images/mug one/90.jpg").orElseThrow();
        assertEquals("90", row.viewId());
        assertEquals(1.0, norm(row.vector()), 1e-4);
    }

    @Test
    void anSqsMessageWithThreeEncodedKeysLeavesThreeRows() throws IOException {
        String queueUrl = sqs.createQueue(b -> b.queueName(LocalAwsServers.QUEUE)).queueUrl();
        upload("images/cup/a b.jpg", "obj9__0.jpg", Map.of());
        upload("images/cup/ü.jpg", "obj9__45.jpg", Map.of());
        upload("uploads/IMG 0042.jpg", "obj9__90.jpg", Map.of("observation-id", "cup", "view", "side"));
        var body = S3Events.created(BUCKET, "images%2Fcup%2Fa+b.jpg", "images/cup/%C3%BC.jpg", "uploads/IMG+0042.jpg");
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("Records"))
                .add(S3Events.record(BUCKET, "ObjectRemoved:Delete", "images/cup/gone.jpg"));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body.toString()));

        List<EncodeOutcome> outcomes = new SqsEncodeWorker(sqs, queueUrl, parser, notifications).pollOnce(2);

        assertEquals(3, outcomes.size(), "three created records; the delete is ignored");
        assertTrue(outcomes.stream().allMatch(o -> o.kind() == EncodeOutcome.Kind.ENCODED), outcomes.toString());
        Set<String> ids = table.imagesOfObservation(spaces.model().id(), "cup").stream().map(ImageRow::imageId)
                .collect(Collectors.toSet());
        assertEquals(Set.of("s3://" + BUCKET + "/images/cup/a b.jpg", "s3://" + BUCKET + "/images/cup/ü.jpg",
                "s3://" + BUCKET + "/uploads/IMG 0042.jpg"), ids, "metadata named the third one's observation");
        assertEquals("side", table.findImage(spaces.model().id(), "s3://" + BUCKET + "/uploads/IMG 0042.jpg").orElseThrow().viewId());
        assertEquals(0, sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(0)).messages().size(),
                "the message was deleted once encoded");
    }

    @Test
    void messagesOfOnePollAreEncodedTogetherAndLabelsComeFromObjectMetadata() throws IOException {
        String queueUrl = sqs.createQueue(b -> b.queueName("viewfold-batch")).queueUrl();
        upload("images/pan/1.jpg", "obj12__0.jpg", Map.of("labels", "pan|kitchen"));
        upload("images/pan/2.jpg", "obj12__45.jpg", Map.of());
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(S3Events.created(BUCKET, "images/pan/1.jpg").toString()));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(S3Events.created(BUCKET, "images/pan/2.jpg").toString()));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("not an S3 notification"));

        var worker = new SqsEncodeWorker(sqs, queueUrl, parser, notifications);
        List<EncodeOutcome> outcomes = new java.util.ArrayList<>();
        for (int poll = 0; poll < 5 && outcomes.size() < 2; poll++) {
            outcomes.addAll(worker.pollOnce(1));
        }

        assertEquals(2, outcomes.size(), outcomes.toString());
        assertTrue(outcomes.stream().allMatch(o -> o.kind() == EncodeOutcome.Kind.ENCODED), outcomes.toString());
        assertEquals(Set.of("kitchen", "pan"),
                table.findImage(spaces.model().id(), "s3://" + BUCKET + "/images/pan/1.jpg").orElseThrow().labels());
        assertEquals(Set.of("kitchen", "pan"), table.findObservation(spaces.model().id(), "pan").orElseThrow().labels(),
                "the observation carries its views' labels");
        assertEquals(0, sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(0)).messages().size(),
                "every message deleted, the one that was no notification too");
    }

    @Test
    void anOlderEventDeliveredLateDoesNotReplaceTheNewerVersion() throws IOException {
        String key = "images/clock/1.jpg";
        upload(key, "obj50__0.jpg", Map.of());
        given().contentType(ContentType.JSON).body(sequenced(key, "0055AED6DCD90281E7")).post(encodeUrl)
                .then().statusCode(200).body("encoded", equalTo(1));
        String first = table.findImage(spaces.model().id(), "s3://" + BUCKET + "/" + key).orElseThrow().contentHash();
        upload(key, "obj50__90.jpg", Map.of()); // overwritten again
        given().contentType(ContentType.JSON).body(sequenced(key, "0055AED6DCD90281E6")).post(encodeUrl)
                .then().statusCode(200).body("unchanged", equalTo(1))
                .body("outcomes[0].reason", equalTo("superseded by a newer event"));
        assertEquals(first, table.findImage(spaces.model().id(), "s3://" + BUCKET + "/" + key).orElseThrow().contentHash());
        given().contentType(ContentType.JSON).body(sequenced(key, "0055AED6DCD90281E8")).post(encodeUrl)
                .then().statusCode(200).body("encoded", equalTo(1));
        assertTrue(!first.equals(table.findImage(spaces.model().id(), "s3://" + BUCKET + "/" + key).orElseThrow().contentHash()));
    }

    private static String sequenced(String key, String sequencer) {
        var event = S3Events.created(BUCKET, key);
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("Records").get(0).get("s3").get("object"))
                .put("sequencer", sequencer);
        return event.toString();
    }

    @Test
    void aLambdaSqsEventAndAnS3TestEventAreUnderstood() throws IOException {
        upload("images/lamp/1.jpg", "obj12__0.jpg", Map.of());
        var sqsEvent = S3Events.sqsEvent(S3Events.created(BUCKET, "images/lamp/1.jpg"));
        given().contentType(ContentType.JSON).body(sqsEvent.toString()).post(encodeUrl)
                .then().statusCode(200).body("encoded", equalTo(1));
        String testEvent = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-24T10:00:00.000Z\","
                + "\"Bucket\":\"" + BUCKET + "\",\"RequestId\":\"5582815E1AEA5ADF\",\"HostId\":\"8cLeGAmw\"}";
        given().contentType(ContentType.JSON).body(testEvent).post(encodeUrl)
                .then().statusCode(200).body("encoded", equalTo(0)).body("ignored", equalTo(1));
    }

    @Test
    void anObjectDeletedBeforeItsEventIsReadLeavesNoRow() {
        given().contentType(ContentType.JSON).body(S3Events.created(BUCKET, "images/ghost/1.jpg").toString())
                .post(encodeUrl).then().statusCode(200).body("missing", equalTo(1));
        assertTrue(table.findImage(spaces.model().id(), "s3://" + BUCKET + "/images/ghost/1.jpg").isEmpty());
    }

    @TestHTTPResource("/aggregate")
    URL aggregateUrl;

    @Test
    void theImageTableStreamRefoldsObservationsAndReportsTheFirstBadRecord() throws IOException {
        upload("images/vase/0.jpg", "obj30__0.jpg", Map.of());
        upload("images/vase/90.jpg", "obj30__90.jpg", Map.of());
        upload("images/vase/180.jpg", "obj30__180.jpg", Map.of());
        given().contentType(ContentType.JSON).body(S3Events.created(BUCKET, "images/vase/0.jpg", "images/vase/90.jpg",
                "images/vase/180.jpg").toString()).post(encodeUrl).then().statusCode(200).body("encoded", equalTo(3));
        assertEquals(3, table.findObservation(spaces.model().id(), "vase").orElseThrow().viewCount(), "folded in process");

        // The object behind one view is deleted: its row goes, and the stream says REMOVE.
        String removed = "s3://" + BUCKET + "/images/vase/90.jpg";
        table.deleteImage(spaces.model().id(), removed);
        String event = "{\"Records\":[" + streamRecord("REMOVE", removed, "vase", "111") + ","
                + "{\"eventID\":\"2\",\"eventName\":\"MODIFY\",\"eventSource\":\"aws:dynamodb\","
                + "\"dynamodb\":{\"SequenceNumber\":\"222\",\"Keys\":{}}},"
                + streamRecord("INSERT", "s3://" + BUCKET + "/images/vase/0.jpg", "vase", "333") + "]}";
        given().contentType(ContentType.JSON).body(event).post(aggregateUrl).then().statusCode(200)
                .body("observations[0].observationId", equalTo("vase"))
                .body("observations[0].viewCount", equalTo(2))
                .body("observations[0].written", equalTo(true))
                .body("batchItemFailures.size()", equalTo(0)); // the unreadable record 222 is logged and skipped
        var row = table.findObservation(spaces.model().id(), "vase").orElseThrow();
        assertEquals(2, row.viewCount());
        assertTrue(row.explanation().startsWith("robust:"), row.explanation());

        // A REMOVE alone, within the same second as the row's own write, is not dropped as stale.
        String removed2 = "s3://" + BUCKET + "/images/vase/180.jpg";
        table.deleteImage(spaces.model().id(), removed2);
        given().contentType(ContentType.JSON).body("{\"Records\":[" + streamRecord("REMOVE", removed2, "vase", "444") + "]}")
                .post(aggregateUrl).then().statusCode(200)
                .body("observations[0].viewCount", equalTo(1)).body("observations[0].written", equalTo(true))
                .body("batchItemFailures.size()", equalTo(0));
        assertEquals(1, table.findObservation(spaces.model().id(), "vase").orElseThrow().viewCount());

        given().contentType(ContentType.JSON).body("{\"observationId\":\"vase\",\"strategy\":\"max\"}")
                .post(aggregateUrl).then().statusCode(200).body("observations[0].strategy", equalTo("max"));
        // Asked again without a strategy, the observation keeps its own: not silently the default.
        given().contentType(ContentType.JSON).body("{\"observationId\":\"vase\"}")
                .post(aggregateUrl).then().statusCode(200).body("observations[0].strategy", equalTo("max"));
        given().contentType(ContentType.JSON).body("{\"observationId\":\"vase\",\"space\":\"nowhere@1\"}")
                .post(aggregateUrl).then().statusCode(404)
                .body("error", org.hamcrest.Matchers.startsWith("unknown space 'nowhere@1': this deployment has "));
        given().contentType(ContentType.JSON).body("{\"observationId\":\"vase\",\"strategy\":\"median\"}")
                .post(aggregateUrl).then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("unknown aggregation strategy 'median'"));
        given().contentType(ContentType.JSON).body("{\"observationId\":\"nobody\"}")
                .post(aggregateUrl).then().statusCode(404)
                .body("error", org.hamcrest.Matchers.containsString("no image rows for observation 'nobody'"));
    }

    /**
     * One delivery of the stream touching three observations five times: each is folded once, in the
     * order the batch first touched it; the one that cannot be folded (views of two dimensions) is
     * reported by its first record, and the one after it is left for Lambda's retry.
     */
    @Test
    void aStreamBatchFoldsEachObservationOnceAndRetriesFromTheFirstRecordOfAFailedOne() {
        String probe = "probe@1"; // a space of its own: these rows are not the model's
        java.time.Instant now = java.time.Instant.now();
        List<ImageRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(ImageRow.ok("s3://" + BUCKET + "/images/cupA/" + i + ".jpg", probe, "cupA", "" + i, "h",
                    new float[] {1, 0.1f * i, 0}, now));
            rows.add(ImageRow.ok("s3://" + BUCKET + "/images/cupC/" + i + ".jpg", probe, "cupC", "" + i, "h",
                    new float[] {0, 1, 0.1f * i}, now));
        }
        rows.add(ImageRow.ok("s3://" + BUCKET + "/images/odd/1.jpg", probe, "odd", "1", "h", new float[] {1, 0}, now));
        rows.add(ImageRow.ok("s3://" + BUCKET + "/images/odd/2.jpg", probe, "odd", "2", "h", new float[] {1, 0, 0}, now));
        table.putImages(rows);
        String event = "{\"Records\":[" + streamRecord("INSERT", rows.get(0).imageId(), "cupA", "10", probe) + ","
                + streamRecord("INSERT", rows.get(2).imageId(), "cupA", "11", probe) + ","
                + streamRecord("INSERT", rows.get(6).imageId(), "odd", "12", probe) + ","
                + streamRecord("INSERT", rows.get(1).imageId(), "cupC", "13", probe) + ","
                + streamRecord("INSERT", rows.get(7).imageId(), "odd", "14", probe) + "]}";
        given().contentType(ContentType.JSON).body(event).post(aggregateUrl).then().statusCode(200)
                .body("observations.observationId", equalTo(List.of("cupA")))
                .body("observations[0].viewCount", equalTo(3))
                .body("batchItemFailures.itemIdentifier", equalTo(List.of("12")));
        assertTrue(table.findObservation(probe, "odd").isEmpty());
        assertTrue(table.findObservation(probe, "cupC").isEmpty(), "after the failure: left for the retry");

        // Lambda's retry from record 12, once the odd view is fixed
        table.putImage(ImageRow.ok(rows.get(7).imageId(), probe, "odd", "2", "h", new float[] {1, 0.5f}, now.plusMillis(1)));
        given().contentType(ContentType.JSON).body("{\"Records\":[" + streamRecord("INSERT", rows.get(6).imageId(), "odd", "12", probe)
                        + "," + streamRecord("INSERT", rows.get(1).imageId(), "cupC", "13", probe) + "]}")
                .post(aggregateUrl).then().statusCode(200)
                .body("observations.observationId", equalTo(List.of("odd", "cupC")))
                .body("batchItemFailures.size()", equalTo(0));
        assertEquals(3, table.findObservation(probe, "cupC").orElseThrow().viewCount());
    }

    private String streamRecord(String name, String imageId, String observation, String sequence) {
        return streamRecord(name, imageId, observation, sequence, spaces.model().id());
    }

    private String streamRecord(String name, String imageId, String observation, String sequence, String space) {
        String keys = "\"Keys\":{\"image_id\":{\"S\":\"" + imageId + "\"},\"space\":{\"S\":\"" + space + "\"}}";
        String image = "{\"image_id\":{\"S\":\"" + imageId + "\"},\"observation_id\":{\"S\":\"" + observation
                + "\"},\"updated_at\":{\"N\":\"" + System.currentTimeMillis() + "\"}}";
        return "{\"eventID\":\"" + sequence + "\",\"eventName\":\"" + name + "\",\"eventVersion\":\"1.1\","
                + "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{"
                + "\"ApproximateCreationDateTime\":" + System.currentTimeMillis() / 1000 + "," + keys + ","
                + (name.equals("REMOVE") ? "\"OldImage\":" : "\"NewImage\":") + image + ","
                + "\"SequenceNumber\":\"" + sequence + "\",\"SizeBytes\":5300,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
                + "\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:111122223333:table/test-images/stream/2026-11-24T10:00:00.000\"}";
    }

    @Test
    void somethingThatIsNotAnS3EventIsA400ThatSaysSo() {
        given().contentType(ContentType.JSON).body("{\"hello\":1}").post(encodeUrl)
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("no Records array"));
    }

    @TestHTTPResource("/search")
    URL searchUrl;

    @Inject
    dev.viewfold.search.SearchServices services;

    @Test
    void searchOverDynamoDbAndS3AnswersWithPresignedLinksAndSnapshotsInTheBucket() throws Exception {
        for (int angle : new int[] {0, 120, 240}) {
            upload("images/search-cup/" + angle + ".jpg", "obj61__" + angle + ".jpg", Map.of());
            upload("images/search-car/" + angle + ".jpg", "obj62__" + angle + ".jpg", Map.of());
        }
        given().contentType(ContentType.JSON).body(S3Events.created(BUCKET, "images/search-cup/0.jpg", "images/search-cup/120.jpg",
                "images/search-cup/240.jpg", "images/search-car/0.jpg", "images/search-car/120.jpg",
                "images/search-car/240.jpg").toString()).post(encodeUrl).then().statusCode(200).body("encoded", equalTo(6));
        dev.viewfold.search.memory.MemoryBackend catalog = (dev.viewfold.search.memory.MemoryBackend) services.model().backend();
        catalog.markStale();

        byte[] query = Files.readAllBytes(Shared.dataset("coil100/images/obj61__60.jpg"));
        String link = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(query) + "\",\"k\":1,"
                        + "\"filter\":{\"minScore\":0.3}}")
                .post(searchUrl).then().log().ifValidationFails().statusCode(200)
                .body("hits[0].id", equalTo("search-cup"))
                .body("hits[0].bestView", org.hamcrest.Matchers.startsWith("s3://" + BUCKET + "/images/search-cup/"))
                .extract().path("hits[0].link");
        assertTrue(link.contains("X-Amz-Signature="), link);
        // The presigned link opens without credentials.
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(link))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().length > 1000);

        // Snapshots land under index/ in the bucket, and their own events are never encoded.
        List<String> written = catalog.writeSnapshots();
        assertTrue(written.get(0).startsWith("s3://" + BUCKET + "/index/" + spaces.model().id() + "/"), written.toString());
        s3.headObject(b -> b.bucket(BUCKET).key("index/" + spaces.model().id() + "/observations.vfi"));
        var report = notifications.encode(parser.parse(S3Events.created(BUCKET, "index/" + spaces.model().id() + "/images.vfi")));
        assertTrue(report.isEmpty(), report.toString());
    }

    private void upload(String key, String coilFile, Map<String, String> metadata) throws IOException {
        byte[] bytes = Files.readAllBytes(Shared.dataset("coil100/images/" + coilFile));
        s3.putObject(b -> b.bucket(BUCKET).key(key).metadata(metadata), RequestBody.fromBytes(bytes));
    }

    private List<Map<String, AttributeValue>> scan(String idPrefix) {
        return dynamoDb.scan(b -> b.tableName("test-images")).items().stream()
                .filter(i -> i.get("image_id").s().startsWith(idPrefix)).toList();
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
