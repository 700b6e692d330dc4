package dev.viewfold.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every vector table adapter must do; each adapter's test runs these against the real thing. */
public abstract class VectorTableContract {

    protected abstract VectorTable table();

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void anImageRowComesBackAsWritten() {
        float[] v = {0.6f, -0.8f, 0f, Float.MIN_VALUE};
        table().putImage(ImageRow.ok("s3://b/images/o1/a.jpg", "m@1", "o1", "a", "h1", v, T0));
        ImageRow row = table().findImage("m@1", "s3://b/images/o1/a.jpg").orElseThrow();
        assertArrayEquals(v, row.vector(), 0f, "float32 stored bit for bit");
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
    void anObservationRowComesBackAsWritten() {
        var row = new ObservationRow("o7", "m@1", RowStatus.OK, null, new float[] {0.5f, 0.5f}, 3,
                List.of("v2"), "c4", 1.5f, -2f, T0);
        table().putObservation(row);
        var back = table().findObservation("m@1", "o7").orElseThrow();
        assertArrayEquals(row.vector(), back.vector(), 0f);
        assertEquals(3, back.viewCount());
        assertEquals(List.of("v2"), back.outlierViews());
        assertEquals("c4", back.clusterId());
        assertEquals(1.5f, back.mapX());
        assertEquals(-2f, back.mapY());
        var empty = new ObservationRow("o8", "m@1", RowStatus.FAILED, "no usable views", null, 0, List.of(),
                null, null, null, T0);
        table().putObservation(empty);
        var backEmpty = table().findObservation("m@1", "o8").orElseThrow();
        assertNull(backEmpty.vector());
        assertNull(backEmpty.mapX());
        assertEquals(List.of(), backEmpty.outlierViews());
    }
}
