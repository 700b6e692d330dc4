package dev.viewfold.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.testing.S3Events;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3EventParserTest {

    final S3EventParser parser = new S3EventParser(new ObjectMapper());

    @Test
    void severalRecordsWithEncodedKeysAreDecoded() {
        var n = parser.parse(S3Events.created("photos", "images/my+mug/front+view.jpg", "images%2Fa%2Fb.png",
                "images/caf%C3%A9/1.jpg", "images/100%25/x+%2B+y.jpg"));
        assertEquals(List.of("images/my mug/front view.jpg", "images/a/b.png", "images/café/1.jpg",
                "images/100%/x + y.jpg"), n.created().stream().map(ObjectCreated::key).toList());
        assertEquals("photos", n.created().get(0).bucket());
        assertEquals(1024, n.created().get(0).size());
        assertEquals("0055AED6DCD90281E5", n.created().get(0).sequencer());
        assertEquals(0, n.ignored());
    }

    @Test
    void aSequencerThatIsNotHexIsRefusedBeforeItCanOutrankRealOnes() {
        ObjectNode event = S3Events.created("photos", "images/o/1.jpg");
        ((ObjectNode) event.withArray("Records").get(0).path("s3").path("object")).put("sequencer", "zzzz");
        var e = assertThrows(dev.viewfold.errors.Refused.class, () -> parser.parse(event));
        assertTrue(e.getMessage().contains("'zzzz' is not an S3 event sequencer"), e.getMessage());
    }

    @Test
    void deletionsAreForgottenAndOtherEventsIgnored() {
        ObjectNode event = S3Events.created("bkt", "images/o/1.jpg");
        event.withArray("Records").add(S3Events.record("bkt", "ObjectRemoved:Delete", "images/o/2.jpg"));
        event.withArray("Records").add(S3Events.record("bkt", "ObjectRemoved:DeleteMarkerCreated", "images/o/3.jpg"));
        event.withArray("Records").add(S3Events.record("bkt", "ObjectCreated:CompleteMultipartUpload", "images/o/4.jpg"));
        event.withArray("Records").add(S3Events.record("bkt", "ObjectRestore:Completed", "images/o/5.jpg"));
        var n = parser.parse(event);
        assertEquals(List.of("images/o/1.jpg", "images/o/4.jpg"), n.created().stream().map(ObjectCreated::key).toList());
        assertEquals(List.of("images/o/2.jpg", "images/o/3.jpg"), n.removed().stream().map(ObjectCreated::key).toList());
        assertEquals(1, n.ignored());
    }

    @Test
    void whatViewfoldWritesToTheBucketIsNeverEncoded() {
        var n = parser.parse(S3Events.created("bkt", "index/mobilenet%40abc/images.vfi", "maps/latest/index.html",
                "heads/mobilenet%40abc/1636f7dcb85b.vfhd", "heads/mobilenet%40abc/1636f7dcb85b.json", "images/o/1.jpg"));
        assertEquals(List.of("images/o/1.jpg"), n.created().stream().map(ObjectCreated::key).toList());
        assertEquals(4, n.ignored(), "snapshots, maps and heads are Viewfold's own");
    }

    @Test
    void theTestEventS3SendsOnSetupIsIgnored() {
        var n = parser.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-24T10:00:00Z\","
                + "\"Bucket\":\"b\",\"RequestId\":\"R\",\"HostId\":\"H\"}");
        assertTrue(n.created().isEmpty());
        assertEquals(1, n.ignored());
    }

    @Test
    void aLambdaSqsEventCarryingSeveralNotificationsIsUnwrapped() {
        var n = parser.parse(S3Events.sqsEvent(S3Events.created("bkt", "images/o/1.jpg", "images/o/2.jpg"),
                S3Events.created("cam", "images%2Fp%2F1.jpg")));
        assertEquals(List.of("bkt:images/o/1.jpg", "bkt:images/o/2.jpg", "cam:images/p/1.jpg"),
                n.created().stream().map(o -> o.bucket() + ":" + o.key()).toList());
    }

    @Test
    void anSnsEnvelopeIsUnwrapped() {
        ObjectNode sns = new ObjectMapper().createObjectNode();
        sns.put("Type", "Notification");
        sns.put("Message", S3Events.created("bkt", "images/o/1.jpg").toString());
        assertEquals("images/o/1.jpg", parser.parse(sns.toString()).created().get(0).key());
    }

    @Test
    void somethingElseIsRefusedWithAReason() {
        assertTrue(assertThrows(dev.viewfold.errors.Refused.class, () -> parser.parse("{\"Records\": 3}"))
                .getMessage().contains("no Records array"));
        assertTrue(assertThrows(dev.viewfold.errors.Refused.class, () -> parser.parse("not json"))
                .getMessage().startsWith("not JSON"));
        assertTrue(assertThrows(dev.viewfold.errors.Refused.class,
                () -> parser.parse("{\"Records\":[{\"eventSource\":\"aws:kinesis\"}]}"))
                .getMessage().contains("aws:kinesis"));
    }

    @Test
    void aReencodeBatchFromTheStateMachinesListingIsObjectsToEncodeWithTheirKeysAsListed() {
        var n = parser.parse("{\"source\":\"viewfold.reencode\",\"bucket\":\"photos\",\"keys\":"
                + "[\"images/my mug/a+b.jpg\",\"images/x/\",\"maps/latest/points.json\",\"images/y/1.png\"]}");
        assertEquals(java.util.List.of("images/my mug/a+b.jpg", "images/y/1.png"),
                n.created().stream().map(ObjectCreated::key).toList(), "listed keys are not URL-encoded: + stays +");
        assertEquals(2, n.ignored(), "a folder marker and Viewfold's own map");
        assertEquals("photos", n.created().get(0).bucket());
        var tooMany = assertThrows(dev.viewfold.errors.Refused.class, () -> parser.parse(
                "{\"source\":\"viewfold.reencode\",\"bucket\":\"photos\",\"keys\":[" + "\"k\",".repeat(200) + "\"k\"]}"));
        assertTrue(tooMany.getMessage().contains("at most 200"), tooMany.getMessage());
        assertThrows(dev.viewfold.errors.Refused.class, () -> parser.parse(
                "{\"source\":\"viewfold.reencode\",\"bucket\":\"Not A Bucket\",\"keys\":[]}"));
    }
}
