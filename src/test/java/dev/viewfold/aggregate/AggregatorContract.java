package dev.viewfold.aggregate;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorTable;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aggregate use case against a real table: each adapter's test runs these. */
abstract class AggregatorContract {

    static final String SPACE = "m@1";
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    protected abstract VectorTable table();

    final SyntheticViews gen = new SyntheticViews(3, 32);
    final float[] object = gen.direction();

    Aggregator aggregator() {
        var strategies = new FoldStrategies(List.of(new MeanStrategy(), new RobustStrategy(3, 0.1)), "robust");
        return new Aggregator(table(), strategies, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
    }

    /** Epoch ms of T0 + ms: the clock of the rows and of the events. */
    static long at(long ms) {
        return T0.plusMillis(ms).toEpochMilli();
    }

    ImageRow view(String obs, int i, long atMillis) {
        return new ImageRow("s3://b/images/" + obs + "/" + i + ".jpg", SPACE, obs, Integer.toString(i), RowStatus.OK,
                null, "h" + i, gen.around(object, 0.02), T0.plusMillis(atMillis), T0.plusMillis(atMillis));
    }

    ImageRow failed(String obs, int i, long atMillis) {
        return ImageRow.failed("s3://b/images/" + obs + "/" + i + ".jpg", SPACE, obs, Integer.toString(i), "h",
                "truncated JPEG", T0.plusMillis(atMillis));
    }

    @Test
    void theFoldUsesEveryOkViewAndOnlyThose() {
        table().putImages(List.of(view("o1", 1, 10), view("o1", 2, 20), view("o1", 10, 30), failed("o1", 4, 40)));
        var r = aggregator().aggregate(SPACE, "o1", null, 0);
        assertTrue(r.written());
        ObservationRow row = table().findObservation(SPACE, "o1").orElseThrow();
        assertEquals(RowStatus.OK, row.status());
        assertEquals("robust", row.strategy());
        assertEquals(List.of("1", "2", "10"), row.views().stream().map(ObservationRow.ViewScore::viewId).toList(),
                "views in numeric view order");
        assertEquals(T0.plusMillis(40).toEpochMilli(), row.inputVersion(), "the failed row's change counts too");
        assertTrue(row.explanation().startsWith("robust:"));
        var mean = aggregator().refold(SPACE, "o1", "mean");
        assertTrue(mean.written());
        assertEquals("mean", table().findObservation(SPACE, "o1").orElseThrow().strategy(),
                "a request may choose another strategy, and its fold is kept");
    }

    /** An aggregator whose folds weigh the rest of the space: its spread from the table, its observations through a search index. */
    Aggregator aggregatorWithCollection(int dimension) {
        var strategies = new FoldStrategies(List.of(new MeanStrategy(),
                new RobustStrategy(RobustStrategy.Settings.DEFAULT)), "robust");
        Clock clock = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);
        var spaces = new dev.viewfold.space.Spaces(dev.viewfold.space.Space.ofModel(SPACE), model -> List.of());
        var search = new dev.viewfold.search.SearchServices(spaces, space -> new dev.viewfold.search.SearchService(
                new dev.viewfold.search.memory.MemoryBackend(table(), null, space.id(), () -> dimension,
                        dev.viewfold.search.memory.SearchIndex.Settings.DEFAULT, java.time.Duration.ZERO,
                        java.time.Duration.ofHours(1), clock),
                bytes -> {
                    throw new UnsupportedOperationException("no images here");
                }, null, 0, strategies, dev.viewfold.search.ImageLinks.AS_IS));
        return new Aggregator(table(), strategies, clock, CollectionEvidence.Source.of(
                new SpaceSpreads(table(), java.time.Duration.ofHours(1), clock),
                new dev.viewfold.search.IndexedObservations(() -> search)));
    }

    @Test
    void aMislabelledUploadIsLeftOutAndItsObservationSaysWhereItBelongs() {
        SyntheticViews g = new SyntheticViews(5, 32);
        Aggregator aggregator = aggregatorWithCollection(32);
        List<float[]> objects = new java.util.ArrayList<>();
        for (int k = 0; k < 12; k++) {
            float[] o = g.direction();
            objects.add(o);
            List<ImageRow> rows = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                rows.add(new ImageRow("s3://b/images/p" + k + "/" + i + ".jpg", SPACE, "p" + k, Integer.toString(i),
                        RowStatus.OK, null, "h", g.around(o, 0.03), T0.plusMillis(k), T0.plusMillis(k)));
            }
            table().putImages(rows);
            aggregator.aggregate(SPACE, "p" + k, null, 0);
        }
        // A new photo of p7's object, uploaded under p0.
        table().putImage(new ImageRow("s3://b/images/p0/99.jpg", SPACE, "p0", "99", RowStatus.OK, null, "h",
                g.around(objects.get(7), 0.03), T0.plusMillis(500), T0.plusMillis(500)));
        aggregator.aggregate(SPACE, "p0", null, 0);

        ObservationRow row = table().findObservation(SPACE, "p0").orElseThrow();
        for (ObservationRow.ViewScore v : row.views()) {
            boolean moved = v.viewId().equals("99");
            assertEquals(moved, v.outlier(), v.viewId() + ": " + row.explanation());
            assertEquals(moved ? "p7" : null, v.likelyHome(), v.viewId() + ": " + row.explanation());
        }
        ObservationRow.ViewScore moved = row.views().get(row.views().size() - 1);
        assertTrue(moved.likelyHomeScore() > 0.9f, "its cosine with p7's fold: " + moved.likelyHomeScore());
        assertTrue(row.explanation().contains("looks like p7"), row.explanation());
        assertEquals(List.of("99"), row.outlierViews());
        assertTrue(table().findObservation(SPACE, "p3").orElseThrow().outlierViews().isEmpty(),
                "the clean observations keep every view");
    }

    @Test
    void theObservationCarriesTheUnionOfItsViewsLabelsAndAnEditRefoldsIt() {
        table().putImages(List.of(view("o5", 1, 10).withLabels(Set.of("mug")),
                view("o5", 2, 20).withLabels(Set.of("mug", "ceramic")), view("o5", 3, 30),
                failed("o5", 4, 40).withLabels(Set.of("kitchen"))));
        aggregator().aggregate(SPACE, "o5", null, 0);
        assertEquals(Set.of("ceramic", "kitchen", "mug"), table().findObservation(SPACE, "o5").orElseThrow().labels(),
                "a failed view still says what the observation is");

        var editor = new dev.viewfold.labels.LabelEditor(table(), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC),
                aggregator()::afterRowsChanged);
        var result = editor.apply(List.of(dev.viewfold.space.Space.parse(SPACE)), "o5",
                new dev.viewfold.labels.LabelEditor.Edit(null, Set.of("cup"), Set.of("mug", "kitchen")));
        assertEquals(Set.of("ceramic", "cup"), result.labels());
        assertEquals(4, result.imagesUpdated());
        assertEquals(Set.of("ceramic", "cup"), table().findObservation(SPACE, "o5").orElseThrow().labels(),
                "the edit reached the observation through a refold");
        var replaced = editor.apply(List.of(dev.viewfold.space.Space.parse(SPACE)), "o5",
                new dev.viewfold.labels.LabelEditor.Edit(Set.of("vase"), null, null));
        assertEquals(Set.of("vase"), replaced.labels());
        assertEquals(Set.of("vase"), table().findObservation(SPACE, "o5").orElseThrow().labels());
        assertThrows(dev.viewfold.errors.Refused.class, () -> editor.apply(List.of(dev.viewfold.space.Space.parse(SPACE)), "nobody",
                new dev.viewfold.labels.LabelEditor.Edit(null, Set.of("x"), null)));
    }

    @Test
    void racingFoldsEndWithTheNewestSetOfViews() {
        table().putImages(List.of(view("o2", 1, 1000), view("o2", 2, 2000)));
        Aggregator a = aggregator();
        ObservationRow stale = a.compute(SPACE, "o2", null, at(2000)); // read before view 3 landed
        table().putImage(view("o2", 3, 3000));
        assertTrue(a.aggregate(SPACE, "o2", null, at(3000)).written());
        assertFalse(table().putFold(stale), "the slower fold of the older view set is dropped");
        ObservationRow row = table().findObservation(SPACE, "o2").orElseThrow();
        assertEquals(3, row.viewCount());
        assertEquals(T0.plusMillis(3000).toEpochMilli(), row.inputVersion());
    }

    @Test
    void replayedAndOutOfOrderEventsEndInTheNewestResult() {
        table().putImages(List.of(view("o3", 1, 1000), view("o3", 2, 2000), view("o3", 3, 3000)));
        Aggregator a = aggregator();
        a.aggregate(SPACE, "o3", null, at(3000));
        // the events of views 1 and 2 arrive late, and one twice: each refold reads the current rows
        assertTrue(a.aggregate(SPACE, "o3", null, at(1000)).written());
        assertTrue(a.aggregate(SPACE, "o3", null, at(2000)).written());
        assertTrue(a.aggregate(SPACE, "o3", null, at(2000)).written());
        assertEquals(3, table().findObservation(SPACE, "o3").orElseThrow().viewCount());
    }

    @Test
    void theTriggersOwnChangeCountsEvenWhenTheIndexDoesNotShowItYet() {
        ImageRow v1 = view("o5", 1, 1000);
        ImageRow v2 = view("o5", 2, 2000);
        table().putImages(List.of(v1, v2));
        ImageRow lagging = view("o5", 3, 3000); // written, but not yet visible through the index
        ImageRow removed = new ImageRow(v1.imageId(), SPACE, "o5", "1", RowStatus.OK, null, "h1", v1.vector(),
                v1.createdAt(), T0.plusMillis(4000)); // deleted, but still visible through the index
        var r = aggregator().aggregate(SPACE, "o5", null, at(4000),
                new dev.viewfold.store.RowsChanged(List.of(lagging), List.of(removed)));
        assertTrue(r.written());
        assertEquals(List.of("2", "3"), table().findObservation(SPACE, "o5").orElseThrow().views().stream()
                .map(ObservationRow.ViewScore::viewId).toList());
    }

    /**
     * A batch reads many observations together and folds each as a fold of its own would; it stops at
     * the first that fails (views of two dimensions), leaving the ones after it for the retry.
     */
    @Test
    void aBatchFoldsEachObservationAsAloneAndStopsAtTheFirstThatFails() {
        List<ImageRow> rows = new java.util.ArrayList<>();
        for (int o = 0; o < Aggregator.READ_TOGETHER + 5; o++) { // two windows of reads
            for (int i = 0; i < 3; i++) {
                rows.add(view("b" + o, i, 100L * o + i));
            }
        }
        rows.add(new ImageRow("s3://b/images/mixed/1.jpg", SPACE, "mixed", "1", RowStatus.OK, null, "h", new float[] {1, 0},
                T0, T0));
        rows.add(new ImageRow("s3://b/images/mixed/2.jpg", SPACE, "mixed", "2", RowStatus.OK, null, "h", new float[] {1, 0, 0},
                T0, T0));
        table().putImages(rows);
        Aggregator a = aggregator();
        ImageRow lagging = view("b1", 7, 9000); // the batch's own change, not yet visible through the index
        var known = new dev.viewfold.store.RowsChanged(List.of(lagging), List.of());
        List<Aggregator.Touched> touched = new java.util.ArrayList<>();
        for (int o = 0; o < Aggregator.READ_TOGETHER + 5; o++) {
            touched.add(new Aggregator.Touched(SPACE, "b" + o, null, at(9000)));
        }
        touched.add(2, new Aggregator.Touched(SPACE, "mixed", null, at(9000)));

        Aggregator.Batch stopped = a.aggregateAll(touched, known);
        assertEquals(List.of("b0", "b1"), stopped.folded().stream().map(r -> r.row().observationId()).toList());
        assertEquals("mixed", stopped.failed().observationId());
        assertTrue(stopped.failure().getMessage().contains("different dimensions"), stopped.failure().getMessage());
        assertTrue(table().findObservation(SPACE, "b2").isEmpty(), "nothing after the failure is folded");

        touched.remove(2);
        Aggregator.Batch all = a.aggregateAll(touched, known);
        assertNull(all.failure());
        assertEquals(touched.size(), all.folded().size());
        assertEquals(4, table().findObservation(SPACE, "b1").orElseThrow().viewCount(), "the known change counts");
        for (String o : List.of("b0", "b29")) {
            ObservationRow batched = table().findObservation(SPACE, o).orElseThrow();
            ObservationRow alone = a.compute(SPACE, o, null, at(9000));
            assertEquals(3, batched.viewCount());
            org.junit.jupiter.api.Assertions.assertArrayEquals(alone.vector(), batched.vector(), 1e-3f, o);
            assertEquals(at(9000), batched.inputVersion(), "the batch's version, newer than the rows'");
        }
    }

    /** With collection evidence on, a batch folds in turn: each fold sees the folds before it written. */
    @Test
    void aBatchThatWeighsTheCollectionFoldsInTurn() {
        List<Aggregator.Touched> touched = new java.util.ArrayList<>();
        for (int o = 0; o < 4; o++) {
            table().putImages(List.of(view("e" + o, 1, o), view("e" + o, 2, o)));
            touched.add(new Aggregator.Touched(SPACE, "e" + o, null, 0));
        }
        List<Long> foldedBefore = new java.util.ArrayList<>();
        CollectionEvidence.Source evidence = (space, observationId) -> {
            foldedBefore.add(touched.stream().filter(t -> table().findObservation(space, t.observationId()).isPresent())
                    .count());
            return CollectionEvidence.NONE;
        };
        var strategies = new FoldStrategies(List.of(new MeanStrategy(), new RobustStrategy(3, 0.1)), "robust");
        new Aggregator(table(), strategies, Clock.fixed(T0, ZoneOffset.UTC), evidence)
                .aggregateAll(touched, new dev.viewfold.store.RowsChanged(List.of(), List.of())).orThrow();
        assertEquals(List.of(0L, 1L, 2L, 3L), foldedBefore);
    }

    /** A read that fails reports the first observation of its window: none of the window was folded. */
    @Test
    void aFailedReadStopsTheBatchAtTheStartOfItsWindow() {
        List<ImageRow> rows = new java.util.ArrayList<>();
        List<Aggregator.Touched> touched = new java.util.ArrayList<>();
        for (int o = 0; o < Aggregator.READ_TOGETHER + 5; o++) {
            rows.add(view("r" + o, 1, o));
            touched.add(new Aggregator.Touched(SPACE, "r" + o, null, 0));
        }
        table().putImages(rows);
        VectorTable failing = new dev.viewfold.store.ForwardingVectorTable(table()) {
            @Override
            public java.util.Map<String, List<ImageRow>> imagesOfObservations(String space,
                                                                              java.util.Collection<String> ids) {
                if (ids.contains("r" + (Aggregator.READ_TOGETHER + 2))) {
                    throw new IllegalStateException("table unreachable");
                }
                return super.imagesOfObservations(space, ids);
            }
        };
        var strategies = new FoldStrategies(List.of(new MeanStrategy(), new RobustStrategy(3, 0.1)), "robust");
        Aggregator.Batch batch = new Aggregator(failing, strategies, Clock.fixed(T0, ZoneOffset.UTC))
                .aggregateAll(touched, new dev.viewfold.store.RowsChanged(List.of(), List.of()));
        assertEquals(Aggregator.READ_TOGETHER, batch.folded().size());
        assertEquals("r" + Aggregator.READ_TOGETHER, batch.failed().observationId());
        assertEquals("table unreachable", batch.failure().getMessage());
        assertTrue(table().findObservation(SPACE, "r" + Aggregator.READ_TOGETHER).isEmpty());
    }

    @Test
    void failingOrDeletingViewsUpdatesTheObservationAndNoneLeftMarksItEmpty() {
        table().putImages(List.of(view("o4", 1, 1000), view("o4", 2, 2000)));
        Aggregator a = aggregator();
        a.aggregate(SPACE, "o4", null, at(2000));
        table().putImage(failed("o4", 2, 5000)); // view 2 re-uploaded as garbage
        a.aggregate(SPACE, "o4", null, at(5000));
        assertEquals(1, table().findObservation(SPACE, "o4").orElseThrow().viewCount());
        table().putImage(failed("o4", 1, 6000));
        a.aggregate(SPACE, "o4", null, at(6000));
        ObservationRow empty = table().findObservation(SPACE, "o4").orElseThrow();
        assertEquals(RowStatus.EMPTY, empty.status());
        assertNull(empty.vector());
        assertEquals("no usable views: all 2 failed to encode", empty.error());
        table().deleteImage(SPACE, "s3://b/images/o4/1.jpg");
        table().deleteImage(SPACE, "s3://b/images/o4/2.jpg");
        a.aggregate(SPACE, "o4", null, at(7000)); // the stream's REMOVE time
        assertEquals("no views left", table().findObservation(SPACE, "o4").orElseThrow().error());
    }
}
