package dev.viewfold.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every vector table adapter must do; each adapter's test runs these against the real thing. */
public abstract class VectorTableContract {

    protected abstract VectorTable table();

    /** The vector the adapter gives back for this one: itself where vectors are stored as float32. */
    protected float[] stored(float[] vector) {
        return vector;
    }

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void anImageRowComesBackAsWritten() {
        float[] v = {0.6f, -0.8f, 0f, Float.MIN_VALUE};
        table().putImage(ImageRow.ok("s3://b/images/o1/a.jpg", "m@1", "o1", "a", "h1", v, T0));
        ImageRow row = table().findImage("m@1", "s3://b/images/o1/a.jpg").orElseThrow();
        assertArrayEquals(stored(v), row.vector(), 0f, "bit for bit as the adapter's format keeps it");
        assertEquals("o1", row.observationId());
        assertEquals("a", row.viewId());
        assertEquals(RowStatus.OK, row.status());
        assertEquals("h1", row.contentHash());
        assertEquals(T0, row.createdAt());
        assertTrue(table().findImage("m@2", "s3://b/images/o1/a.jpg").isEmpty(), "another space is another row");
    }

    @Test
    void writingTheSameKeyAgainReplacesTheRow() {
        table().putImage(ImageRow.ok("x1", "m@1", "o1", "a", "h1", new float[] {1, 0}, T0));
        ImageRow failed = ImageRow.failed("x1", "m@1", "o1", "a", "h2", "truncated JPEG", T0.plusSeconds(5));
        table().putImages(List.of(failed, failed));
        ImageRow row = table().findImage("m@1", "x1").orElseThrow();
        assertEquals(RowStatus.FAILED, row.status());
        assertEquals("truncated JPEG", row.error());
        assertNull(row.vector());
        assertEquals(new TableStats("m@1", 0, 1, 0), table().stats("m@1"));
    }

    @Test
    void aRowFromAnOlderS3EventNeverReplacesOneFromANewerEvent() {
        table().putImages(List.of(ImageRow.ok("k", "m@1", "o", "v", "new", new float[] {1}, T0).fromEvent("0055AED6DCD90281E5")));
        table().putImages(List.of(ImageRow.ok("k", "m@1", "o", "v", "old", new float[] {2}, T0.plusSeconds(1))
                .fromEvent("0055AED6DCD90281E4")));
        assertEquals("new", table().findImage("m@1", "k").orElseThrow().contentHash(), "the late, older event lost");
        table().putImage(ImageRow.ok("k", "m@1", "o", "v", "later", new float[] {3}, T0.plusSeconds(2))
                .fromEvent("0055AED6DCD90281E50A")); // longer, and later once padded
        assertEquals("later", table().findImage("m@1", "k").orElseThrow().contentHash());
        table().putImage(ImageRow.ok("k", "m@1", "o", "v", "local", new float[] {4}, T0.plusSeconds(3)));
        assertEquals("local", table().findImage("m@1", "k").orElseThrow().contentHash(), "no sequencer: written as given");
    }

    @Test
    void labelsComeBackWithImageRowsAndAFoldReplacesThem() {
        table().putImages(List.of(
                ImageRow.ok("a", "s@1", "o1", "1", "h", new float[] {1, 0}, T0).withLabels(Set.of("mug", "red cup")),
                ImageRow.ok("b", "s@1", "o1", "2", "h", new float[] {0, 1}, T0)));
        assertEquals(Set.of("mug", "red cup"), table().findImage("s@1", "a").orElseThrow().labels());
        assertEquals(Set.of(), table().findImage("s@1", "b").orElseThrow().labels(), "no labels is an empty set");
        table().putImage(table().findImage("s@1", "a").orElseThrow().withLabels(Set.of()));
        assertEquals(Set.of(), table().findImage("s@1", "a").orElseThrow().labels(), "labels can be cleared");

        assertTrue(table().putFold(fold("o3", 1, new float[] {1, 0}, "mean")));
        var relabelled = fold("o3", 2, new float[] {1, 0}, "mean");
        assertTrue(table().putFold(new ObservationRow("o3", "m@1", RowStatus.OK, null, relabelled.vector(), "mean",
                relabelled.views(), 0, "", 2, Set.of("cup"), null, T0)));
        assertEquals(Set.of("cup"), table().findObservation("m@1", "o3").orElseThrow().labels(),
                "the fold owns the labels: they are the union of its views'");
    }

    @Test
    void viewsAreFoundByObservationAndCountedPerSpace() {
        List<ImageRow> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // more than one DynamoDB batch write
            rows.add(ImageRow.ok("img" + i, "s@1", "obs" + (i % 3), "v" + i, "h" + i, new float[] {i, 1}, T0));
        }
        rows.add(ImageRow.failed("bad", "s@1", "obs0", "vb", "hb", "empty file (0 bytes)", T0));
        rows.add(ImageRow.ok("other", "s@2", "obs0", "v", "h", new float[] {1}, T0));
        table().putImages(rows);

        Set<String> views = table().imagesOfObservation("s@1", "obs0").stream().map(ImageRow::imageId)
                .collect(Collectors.toSet());
        assertEquals(11, views.size(), "ten ok views and the failed one, none from the other space");
        assertTrue(views.contains("bad"));
        assertEquals(new TableStats("s@1", 30, 1, 3), table().stats("s@1"));
        List<ImageRow> all = new ArrayList<>();
        table().forEachImage("s@1", all::add);
        assertEquals(31, all.size());
    }

    @Test
    void rowsChangedSinceAnInstantAreWhatAnIndexCatchesUpWith() {
        table().putImages(List.of(
                ImageRow.ok("early", "s@1", "o1", "1", "h1", new float[] {1, 0}, T0),
                ImageRow.ok("late", "s@1", "o1", "2", "h2", new float[] {0, 1}, T0.plusSeconds(10)),
                ImageRow.ok("other-space", "s@2", "o1", "1", "h3", new float[] {1}, T0.plusSeconds(10))));
        table().putObservation(fold("o1", 1, new float[] {0.6f, 0.8f}, "mean")); // updated T0 + 1 ms
        table().putObservation(fold("o2", 20_000, new float[] {0.8f, 0.6f}, "mean")); // T0 + 20 s

        List<String> images = new ArrayList<>();
        table().forEachImageSince("s@1", T0.plusSeconds(10), r -> images.add(r.imageId()));
        assertEquals(List.of("late"), images, "at or after the instant, one space only");
        List<String> observations = new ArrayList<>();
        table().forEachObservationSince("m@1", T0.plusSeconds(5), r -> observations.add(r.observationId()));
        assertEquals(List.of("o2"), observations);
        observations.clear();
        table().forEachObservationSince("m@1", java.time.Instant.EPOCH, r -> observations.add(r.observationId()));
        assertEquals(Set.of("o1", "o2"), Set.copyOf(observations));
    }

    static ObservationRow fold(String obs, long version, float[] vector, String strategy) {
        return new ObservationRow(obs, "m@1", RowStatus.OK, null, vector, strategy,
                List.of(new ObservationRow.ViewScore("s3://b/images/" + obs + "/1.jpg", "1", 0.9f, false),
                        new ObservationRow.ViewScore("s3://b/images/" + obs + "/2.jpg", "2", 0.2f, true)),
                0.125, strategy + ": kept 1 of 2", version, Set.of("mug"), null, T0.plusMillis(version));
    }

    /** 150 rows asked for at once (two reads by key on DynamoDB), one of them missing and one twice. */
    @Test
    void severalObservationRowsAreFoundTogether() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            table().putObservation(fold("f" + i, 1, new float[] {1, i}, "mean"));
            ids.add("f" + i);
        }
        ids.add("nobody");
        ids.add("f7");
        List<ObservationRow> rows = table().findObservations("m@1", ids);
        assertEquals(150, rows.size());
        var f7 = rows.stream().filter(r -> r.observationId().equals("f7")).findFirst().orElseThrow();
        assertEquals(7f, f7.vector()[1], 0f);
        assertEquals(Set.of("mug"), f7.labels());
        assertEquals(Set.copyOf(ids.subList(0, 150)), rows.stream().map(ObservationRow::observationId)
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void anObservationRowComesBackAsWritten() {
        var row = fold("o7", 5, new float[] {0.6f, 0.8f}, "robust");
        table().putObservation(row);
        var back = table().findObservation("m@1", "o7").orElseThrow();
        assertArrayEquals(stored(row.vector()), back.vector(), 0f);
        assertEquals(row.views(), back.views());
        assertEquals(List.of("2"), back.outlierViews());
        assertEquals(2, back.viewCount());
        assertEquals("robust", back.strategy());
        assertEquals(0.125, back.dispersion(), 1e-9);
        assertEquals("robust: kept 1 of 2", back.explanation());
        assertEquals(5, back.inputVersion());
        assertEquals(Set.of("mug"), back.labels());
        var empty = new ObservationRow("o8", "m@1", RowStatus.EMPTY, "no usable views", null, "robust", List.of(),
                0, null, 9, Set.of(), null, T0);
        table().putObservation(empty);
        var backEmpty = table().findObservation("m@1", "o8").orElseThrow();
        assertNull(backEmpty.vector());
        assertEquals(RowStatus.EMPTY, backEmpty.status());
        assertEquals(List.of(), backEmpty.views());
    }

    @Test
    void aViewsLikelyHomeComesBackWithItsFoldAndStampsCarryTheKeptAgreements() {
        var row = new ObservationRow("o9", "m@1", RowStatus.OK, null, new float[] {0.6f, 0.8f}, "robust",
                List.of(new ObservationRow.ViewScore("s3://b/images/o9/1.jpg", "1", 0.93f, false),
                        new ObservationRow.ViewScore("s3://b/images/o9/2.jpg", "2", 0.91f, false),
                        new ObservationRow.ViewScore("s3://b/images/o9/3.jpg", "3", 0.41f, true, "o4", 0.87f),
                        new ObservationRow.ViewScore("s3://b/images/o9/4.jpg", "4", 0.12f, true)),
                0.08, "robust: left out 2", 30, Set.of(), null, T0.plusMillis(30));
        assertTrue(table().putFold(row));
        var back = table().findObservation("m@1", "o9").orElseThrow();
        assertEquals(row.views(), back.views());
        assertEquals("o4", back.views().get(2).likelyHome());
        assertEquals(0.87f, back.views().get(2).likelyHomeScore());
        assertNull(back.views().get(3).likelyHome(), "left out, but like no other observation");
        List<ObservationRow> scanned = new ArrayList<>();
        table().forEachObservationSince("m@1", java.time.Instant.EPOCH, scanned::add);
        assertEquals(row.views(), scanned.get(0).views());
        List<dev.viewfold.store.RowStamps.Fold> stamps = new ArrayList<>();
        table().forEachFoldStamp("m@1", stamps::add);
        assertEquals(1, stamps.size());
        assertEquals("robust", stamps.get(0).strategy());
        assertArrayEquals(new float[] {0.93f, 0.91f}, stamps.get(0).keptAgreements(), 0f, "the kept views only");
    }

    @Test
    void aFoldOfAnOlderSetOfViewsNeverReplacesANewerOne() {
        assertTrue(table().putFold(fold("o1", 100, new float[] {1, 0}, "mean")), "first fold lands");
        assertTrue(table().putFold(fold("o1", 200, new float[] {0, 1}, "mean")), "newer fold lands");
        assertFalse(table().putFold(fold("o1", 150, new float[] {1, 0}, "mean")), "stale fold is dropped");
        assertTrue(table().putFold(fold("o1", 200, new float[] {0, 1}, "robust")), "a replay of the newest lands");
        var row = table().findObservation("m@1", "o1").orElseThrow();
        assertEquals(200, row.inputVersion());
        assertArrayEquals(stored(new float[] {0, 1}), row.vector(), 0f);
        assertEquals("robust", row.strategy());
    }

    @Test
    void aFoldKeepsTheClusterFields() {
        var clustered = new ObservationRow("o2", "m@1", RowStatus.OK, null, new float[] {1, 0}, "mean", List.of(),
                0, null, 10, Set.of(), new ObservationRow.Placement("c7", 0.75, 0.125, 1.5f, -2f, "run-1"), T0);
        table().putObservation(clustered);
        assertTrue(table().putFold(fold("o2", 11, new float[] {0, 1}, "mean")));
        var row = table().findObservation("m@1", "o2").orElseThrow();
        assertEquals(clustered.placement(), row.placement());
        assertArrayEquals(stored(new float[] {0, 1}), row.vector(), 0f);
        var emptied = new ObservationRow("o2", "m@1", RowStatus.EMPTY, "no usable views", null, "mean", List.of(),
                0, null, 12, Set.of(), null, T0);
        assertTrue(table().putFold(emptied));
        assertNull(table().findObservation("m@1", "o2").orElseThrow().vector(), "an emptied fold drops its vector");
    }

    @Test
    void aDeletedImageRowIsGone() {
        table().putImage(ImageRow.ok("gone", "m@1", "o", "v", "h", new float[] {1}, T0));
        table().deleteImage("m@1", "gone");
        table().deleteImage("m@1", "never-there");
        assertTrue(table().findImage("m@1", "gone").isEmpty());
    }

    @Test
    void placementsUpdateOnlyTheClusterFieldsOfRowsThatExist() {
        table().putFold(fold("p1", 5, new float[] {1, 0}, "robust"));
        table().putFold(fold("p2", 5, new float[] {0, 1}, "robust"));
        table().putFold(fold("p3", 5, new float[] {1, 1}, "robust"));
        var noise = new ObservationRow.Placement(null, 0, 0.9, -1f, 3f, "run-2");
        var member = new ObservationRow.Placement("c3", 0.5, 0.25, 2f, 4f, "run-2");
        Instant later = T0.plusSeconds(60);
        int written = table().putPlacements("m@1",
                java.util.Map.of("p1", member, "p2", noise, "deleted-meanwhile", member), later);
        assertEquals(2, written, "a placement for a row that is gone is dropped");
        var p1 = table().findObservation("m@1", "p1").orElseThrow();
        assertEquals(member, p1.placement());
        assertEquals("c3", p1.clusterId());
        assertEquals("robust", p1.strategy(), "the fold is untouched");
        assertEquals(5, p1.inputVersion());
        assertEquals(later, p1.updatedAt(), "a search index must see the new cluster id");
        var p2 = table().findObservation("m@1", "p2").orElseThrow();
        assertEquals(noise, p2.placement());
        assertNull(p2.clusterId(), "noise is placed but in no cluster");
        assertTrue(table().findObservation("m@1", "deleted-meanwhile").isEmpty());
        assertNull(table().findObservation("m@1", "p3").orElseThrow().placement(), "a row the run did not place keeps none");
    }
}
