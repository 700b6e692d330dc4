package dev.viewfold.events;

import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.store.ImageRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChangeBatchTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static ImageRow row(String image, String observation, long ms) {
        return ImageRow.ok(image, "s@1", observation, "v", "h", new float[] {1, 0}, T0.plusMillis(ms));
    }

    static ImageRowChange written(String image, String observation, long ms, String sequence) {
        return new ImageRowChange("s@1", image, List.of(observation), T0.plusMillis(ms).toEpochMilli(), sequence,
                row(image, observation, ms), null);
    }

    @Test
    void eachObservationIsFoldedOnceAtItsNewestChangeAndEachImageCountsByItsLastChange() {
        ChangeBatch batch = new ChangeBatch();
        batch.add(written("a1", "A", 10, "100"));
        batch.add(written("b1", "B", 20, "200"));
        batch.add(written("a2", "A", 30, "300"));
        // b1 moves to C: both observations refold; then a1 is removed
        batch.add(new ImageRowChange("s@1", "b1", List.of("B", "C"), T0.plusMillis(40).toEpochMilli(), "400",
                row("b1", "C", 40), row("b1", "B", 20)));
        batch.add(new ImageRowChange("s@1", "a1", List.of("A"), T0.plusMillis(50).toEpochMilli(), "500", null,
                row("a1", "A", 50)));

        assertEquals(List.of(
                        new Aggregator.Touched("s@1", "A", null, T0.plusMillis(50).toEpochMilli()),
                        new Aggregator.Touched("s@1", "B", null, T0.plusMillis(40).toEpochMilli()),
                        new Aggregator.Touched("s@1", "C", null, T0.plusMillis(40).toEpochMilli())),
                batch.touched());
        var known = batch.known();
        assertEquals(List.of("a2", "b1"), known.written().stream().map(ImageRow::imageId).toList());
        assertEquals("C", known.written().get(1).observationId(), "b1 as last written");
        assertEquals(List.of("a1"), known.removed().stream().map(ImageRow::imageId).toList(),
                "written, then removed in the same batch: removed");
        assertEquals("100", batch.retryFrom(batch.touched().get(0)));
        assertEquals("200", batch.retryFrom(batch.touched().get(1)));
        assertEquals("400", batch.retryFrom(batch.touched().get(2)));
    }

    /** A record the stream could not give whole leaves the image to the table: an earlier change of it is stale. */
    @Test
    void aRecordWithoutAWholeRowDropsTheImagesEarlierChange() {
        ChangeBatch batch = new ChangeBatch();
        batch.add(new ImageRowChange("s@1", "i", List.of("A"), T0.plusMillis(10).toEpochMilli(), "1", null,
                row("i", "A", 10)));
        batch.add(new ImageRowChange("s@1", "i", List.of("B"), T0.plusMillis(20).toEpochMilli(), "2", null, null));
        assertEquals(List.of(), batch.known().removed());
        assertEquals(List.of(), batch.known().written());
        assertEquals(List.of("A", "B"), batch.touched().stream().map(Aggregator.Touched::observationId).toList());
    }
}
