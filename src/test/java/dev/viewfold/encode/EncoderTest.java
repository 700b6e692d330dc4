package dev.viewfold.encode;

import dev.viewfold.math.Vectors;
import dev.viewfold.events.BatchRunner;
import dev.viewfold.events.IngestManifest;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.testing.BadImages;
import dev.viewfold.testing.LocalEncoding;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderTest {

    @TempDir
    static Path data;

    static LocalEncoding local;

    @BeforeAll
    static void open() {
        local = new LocalEncoding(Shared.mobilenet(), data.resolve("db"));
    }

    @AfterAll
    static void close() {
        local.close();
    }

    /** 10 COIL-100 objects × 8 views (every 45°) through the real manifest. */
    static List<EncodeRequest> coilSubset() throws IOException {
        List<EncodeRequest> subset = new ArrayList<>();
        for (EncodeRequest r : IngestManifest.read(Shared.dataset("coil100/labels.csv"))) {
            int object = Integer.parseInt(r.observationId().substring(3));
            if (object % 10 == 3 && Integer.parseInt(r.viewId()) % 45 == 0) {
                subset.add(r);
            }
        }
        return subset;
    }

    @Test
    void viewsOfOneObjectAreCloserThanViewsOfDifferentObjects() throws IOException {
        var store = new LocalObjectStore(Shared.dataset("coil100"));
        List<EncodeRequest> requests = coilSubset();
        assertEquals(80, requests.size());
        var summary = new BatchRunner(local.encoder, 16).run(store, requests, (s, o) -> { });
        assertEquals(80, summary.encoded());
        assertEquals(10, summary.observations());

        Map<String, List<float[]>> byObject = new HashMap<>();
        local.table.forEachImage(local.encoder.space(), row -> {
            if (row.imageId().contains("coil100")) {
                byObject.computeIfAbsent(row.observationId(), k -> new ArrayList<>()).add(row.vector());
            }
        });
        assertEquals(10, byObject.size());
        double same = 0;
        double different = 0;
        int nSame = 0;
        int nDifferent = 0;
        List<String> ids = new ArrayList<>(byObject.keySet());
        for (int a = 0; a < ids.size(); a++) {
            for (int b = a; b < ids.size(); b++) {
                for (float[] x : byObject.get(ids.get(a))) {
                    for (float[] y : byObject.get(ids.get(b))) {
                        if (x == y) {
                            continue;
                        }
                        double cos = Vectors.dot(x, y);
                        if (a == b) {
                            same += cos;
                            nSame++;
                        } else {
                            different += cos;
                            nDifferent++;
                        }
                    }
                }
            }
        }
        same /= nSame;
        different /= nDifferent;
        assertTrue(same > different + 0.15, "mean cosine same object " + same + " vs different objects " + different);

        var again = new BatchRunner(local.encoder, 16).run(store, requests, (s, o) -> { });
        assertEquals(0, again.encoded(), "a second run encodes nothing");
        assertEquals(80, again.unchanged());
    }

    @Test
    void badFilesBecomeFailedRowsAndTheBatchGoesOn(@TempDir Path folder) throws IOException {
        byte[] good = Files.readAllBytes(Shared.dataset("coil100/images/obj2__0.jpg"));
        Files.createDirectories(folder.resolve("images/mix"));
        Files.write(folder.resolve("images/mix/good1.jpg"), good);
        Files.write(folder.resolve("images/mix/truncated.jpg"), BadImages.truncatedJpeg(
                Files.readAllBytes(Shared.dataset("caltech101/images/airplanes/image_0001.jpg")), 0.4));
        Files.write(folder.resolve("images/mix/notes.jpg"), BadImages.textFile());
        Files.write(folder.resolve("images/mix/empty.jpg"), new byte[0]);
        BadImages.pngBomb(folder.resolve("images/mix/huge.png"), 20000, 20000);
        Files.copy(Shared.dataset("orl_faces/images/s1/1.png"), folder.resolve("images/mix/good2.png"));
        var store = new LocalObjectStore(folder);
        List<EncodeRequest> requests = List.of("good1.jpg", "truncated.jpg", "notes.jpg", "empty.jpg", "huge.png",
                "good2.png").stream().map(n -> EncodeRequest.of("images/mix/" + n)).toList();

        List<EncodeOutcome> outcomes = local.encoder.encode(store, requests);

        assertEquals(List.of(EncodeOutcome.Kind.ENCODED, EncodeOutcome.Kind.FAILED, EncodeOutcome.Kind.FAILED,
                EncodeOutcome.Kind.FAILED, EncodeOutcome.Kind.FAILED, EncodeOutcome.Kind.ENCODED),
                outcomes.stream().map(EncodeOutcome::kind).toList());
        List<ImageRow> rows = local.table.imagesOfObservation(local.encoder.space(), "mix");
        assertEquals(6, rows.size());
        assertEquals(4, rows.stream().filter(r -> r.status() == RowStatus.FAILED).map(ImageRow::error).distinct().count(),
                "four failed rows, four distinct reasons");
        ImageRow empty = local.table.findImage(local.encoder.space(), store.uri("images/mix/empty.jpg")).orElseThrow();
        assertEquals("empty file (0 bytes)", empty.error());
        assertNotEquals(null, empty.contentHash());
    }

    @Test
    void aViewMovedToAnotherObservationLeavesTheOldOneRefolded(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("shots/1.jpg");
        Files.createDirectories(file.getParent());
        Files.copy(Shared.dataset("coil100/images/obj6__0.jpg"), file);
        Files.copy(Shared.dataset("coil100/images/obj6__5.jpg"), folder.resolve("shots/2.jpg"));
        var store = new LocalObjectStore(folder);
        String a = "moved-a-" + System.nanoTime();
        String b = "moved-b-" + System.nanoTime();
        local.encoder.encode(store, List.of(new EncodeRequest("shots/1.jpg", a, "1"), new EncodeRequest("shots/2.jpg", a, "2")));
        assertEquals(2, local.table.findObservation(local.encoder.space(), a).orElseThrow().viewCount());

        local.encoder.encode(store, List.of(new EncodeRequest("shots/2.jpg", b, "2"))); // the manifest now says b
        assertEquals(1, local.table.findObservation(local.encoder.space(), a).orElseThrow().viewCount(),
                "the observation the view left is refolded too");
        assertEquals(1, local.table.findObservation(local.encoder.space(), b).orElseThrow().viewCount());
    }

    @Test
    void aWriteRefusedAsOlderIsReportedSupersededAndNeverFolded(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("images/race/1.jpg");
        Files.createDirectories(file.getParent());
        Files.copy(Shared.dataset("coil100/images/obj9__0.jpg"), file);
        var store = new LocalObjectStore(folder);
        String uri = store.uri("images/race/1.jpg");
        String obs = "race-" + System.nanoTime();
        // Event E1 reads and decodes version 1 ...
        Encoder.Pending e1 = local.encoder.start(store, List.of(new EncodeRequest("images/race/1.jpg", obs, "1",
                "0055AED6DCD90281E1")));
        e1.awaitPrepared();
        // ... while event E2's newer version lands first.
        float[] newer = new float[1280];
        newer[7] = 1;
        local.table.putImage(ImageRow.ok(uri, local.encoder.space(), obs, "1", "v2", newer, java.time.Instant.now())
                .fromEvent("0055AED6DCD90281E2"));
        local.aggregator.aggregate(local.encoder.space(), obs, null, 0);

        var outcome = local.encoder.finish(e1).get(0);

        assertEquals(EncodeOutcome.Kind.UNCHANGED, outcome.kind());
        assertEquals("superseded by a newer event", outcome.reason());
        assertEquals("v2", local.table.findImage(local.encoder.space(), uri).orElseThrow().contentHash());
        float[] folded = local.table.findObservation(local.encoder.space(), obs).orElseThrow().vector();
        assertEquals(1.0, folded[7], 1e-6, "the fold still holds version 2, not the refused version 1");
    }

    @Test
    void aFolderWhereAnImageWasExpectedIsMissingAndTheBatchGoesOn(@TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("images/x/sub"));
        Files.copy(Shared.dataset("coil100/images/obj7__0.jpg"), folder.resolve("images/x/1.jpg"));
        var outcomes = local.encoder.encode(new LocalObjectStore(folder),
                List.of(EncodeRequest.of("images/x/sub"), EncodeRequest.of("images/x/1.jpg")));
        assertEquals(List.of(EncodeOutcome.Kind.MISSING, EncodeOutcome.Kind.ENCODED),
                outcomes.stream().map(EncodeOutcome::kind).toList());
    }

    @Test
    void keysNoRowCanNameFailWithTheReasonAndTheBatchGoesOn(@TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("images/k"));
        Files.copy(Shared.dataset("coil100/images/obj8__0.jpg"), folder.resolve("images/k/1.jpg"));
        var outcomes = local.encoder.encode(new LocalObjectStore(folder), List.of(EncodeRequest.of("../outside.jpg"),
                EncodeRequest.of("images/k/nul\u0000.jpg"), new EncodeRequest("images/k/1.jpg", "k", "1", "zzzz"),
                EncodeRequest.of("images/k/1.jpg")));
        assertEquals(List.of(EncodeOutcome.Kind.FAILED, EncodeOutcome.Kind.FAILED, EncodeOutcome.Kind.FAILED,
                EncodeOutcome.Kind.ENCODED), outcomes.stream().map(EncodeOutcome::kind).toList());
        assertTrue(outcomes.get(0).reason().contains("escapes the store's folder"), outcomes.get(0).reason());
        assertTrue(outcomes.get(2).reason().contains("'zzzz' is not an S3 event sequencer"), outcomes.get(2).reason());
    }

    @Test
    void aChangedFileIsEncodedAgainAndKeepsItsCreationTime(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("images/o/v.jpg");
        Files.createDirectories(file.getParent());
        Files.copy(Shared.dataset("coil100/images/obj4__0.jpg"), file);
        var store = new LocalObjectStore(folder);
        local.encoder.encode(store, List.of(EncodeRequest.of("images/o/v.jpg")));
        ImageRow first = local.table.findImage(local.encoder.space(), store.uri("images/o/v.jpg")).orElseThrow();
        Files.copy(Shared.dataset("coil100/images/obj4__180.jpg"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var outcome = local.encoder.encode(store, List.of(EncodeRequest.of("images/o/v.jpg"))).get(0);
        assertEquals(EncodeOutcome.Kind.ENCODED, outcome.kind());
        ImageRow second = local.table.findImage(local.encoder.space(), store.uri("images/o/v.jpg")).orElseThrow();
        assertNotEquals(first.contentHash(), second.contentHash());
        assertEquals(first.createdAt(), second.createdAt());
        assertTrue(Vectors.dot(first.vector(), second.vector()) < 0.999);
    }

    @Test
    void manifestLabelsReachTheObservationAndNewLabelsNeedNoEncoding(@TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("images/m"));
        Files.copy(Shared.dataset("coil100/images/obj11__0.jpg"), folder.resolve("images/m/1.jpg"));
        Files.copy(Shared.dataset("coil100/images/obj11__90.jpg"), folder.resolve("images/m/2.jpg"));
        Files.writeString(folder.resolve("labels.csv"), "path,observation_id,view,label\n"
                + "images/m/1.jpg,m11,1,mug|white\nimages/m/2.jpg,m11,2,mug\n");
        var store = new LocalObjectStore(folder);
        var first = new BatchRunner(local.encoder, 8).run(store, IngestManifest.read(folder.resolve("labels.csv")), (s, o) -> { });
        assertEquals(2, first.encoded());
        assertEquals(java.util.Set.of("mug", "white"),
                local.table.findObservation(local.encoder.space(), "m11").orElseThrow().labels());

        Files.writeString(folder.resolve("labels.csv"), "path,observation_id,view,label\n"
                + "images/m/1.jpg,m11,1,cup\nimages/m/2.jpg,m11,2,cup\n");
        var second = new BatchRunner(local.encoder, 8).run(store, IngestManifest.read(folder.resolve("labels.csv")), (s, o) -> { });
        assertEquals(0, second.encoded(), "same pixels: the model does not run again");
        assertEquals(2, second.relabelled());
        assertEquals(java.util.Set.of("cup"), local.table.findObservation(local.encoder.space(), "m11").orElseThrow().labels());

        var third = local.encoder.encode(store, List.of(new EncodeRequest("images/m/1.jpg", "m11", "1")));
        assertEquals(EncodeOutcome.Kind.UNCHANGED, third.get(0).kind(), "a request that states no labels keeps them");
        assertEquals(java.util.Set.of("cup"), local.table.findImage(local.encoder.space(), store.uri("images/m/1.jpg"))
                .orElseThrow().labels());
    }

    @Test
    void labelsComeFromTheRequestThenTheObjectMetadata() {
        var request = EncodeRequest.of("images/a/1.jpg");
        assertEquals(java.util.Set.of("cat", "pet"), ObservationNaming.labels(request, java.util.Map.of("labels", "pet| cat")));
        assertEquals(null, ObservationNaming.labels(request, java.util.Map.of()), "nothing stated: keep what the row has");
        assertEquals(java.util.Set.of("dog"), ObservationNaming.labels(new EncodeRequest("k", null, null, null,
                java.util.Set.of("dog")), java.util.Map.of("labels", "cat")));
        var bad = assertThrows(dev.viewfold.errors.Refused.class,
                () -> ObservationNaming.labels(request, java.util.Map.of("labels", "ok|" + "x".repeat(300))));
        assertTrue(bad.getMessage().startsWith("metadata 'labels': label 'xxx"), bad.getMessage());
    }

    @Test
    void aBadLabelInTheMetadataFailsThatImageWithTheReasonAndTheBatchGoesOn(@TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("images/t"));
        Files.copy(Shared.dataset("coil100/images/obj13__0.jpg"), folder.resolve("images/t/1.jpg"));
        Files.copy(Shared.dataset("coil100/images/obj13__5.jpg"), folder.resolve("images/t/2.jpg"));
        Files.writeString(folder.resolve("images/t/1.jpg.metadata.properties"), "labels=ok|" + "x".repeat(300) + "\n");
        Files.writeString(folder.resolve("images/t/2.jpg.metadata.properties"), "labels=teapot\n");
        var store = new LocalObjectStore(folder);
        var outcomes = local.encoder.encode(store, List.of(EncodeRequest.of("images/t/1.jpg"), EncodeRequest.of("images/t/2.jpg")));

        assertEquals(EncodeOutcome.Kind.FAILED, outcomes.get(0).kind());
        assertTrue(outcomes.get(0).reason().startsWith("metadata 'labels': label 'xxx"), outcomes.get(0).reason());
        assertTrue(outcomes.get(0).reason().contains("longer than 200 characters"), outcomes.get(0).reason());
        assertEquals(EncodeOutcome.Kind.ENCODED, outcomes.get(1).kind());
        assertEquals(java.util.Set.of("teapot"),
                local.table.findImage(local.encoder.space(), store.uri("images/t/2.jpg")).orElseThrow().labels());
        assertEquals(RowStatus.FAILED,
                local.table.findImage(local.encoder.space(), store.uri("images/t/1.jpg")).orElseThrow().status());
    }
}
