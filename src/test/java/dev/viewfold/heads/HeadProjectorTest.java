package dev.viewfold.heads;

import dev.viewfold.groups.HeadKind;
import dev.viewfold.groups.ProjectionHead;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.space.Space;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadProjectorTest {

    static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void aHeadTrainedInThisProcessGetsTheVeryNextRowsDespiteTheRefreshInterval(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HeadStore heads = new HeadStore(new LocalObjectStore(dir.resolve("bucket")), json);
        List<RowsChanged> downstream = new ArrayList<>();
        try (SqliteVectorTable table = new SqliteVectorTable(dir.resolve("data"))) {
            HeadProjector projector = new HeadProjector(table, heads, Clock.fixed(T0, ZoneOffset.UTC),
                    Duration.ofHours(1), downstream::add);
            ImageRow before = ImageRow.ok("a", "m@1", "o1", "0", "h1", new float[] {1, 0}, T0);
            table.putImage(before);
            projector.accept(new RowsChanged(List.of(before), List.of())); // no heads yet: remembered for an hour

            // Swaps the two coordinates (input-major weights, then the bias).
            ProjectionHead swap = new ProjectionHead(HeadKind.LINEAR, 2, 0, 2, new float[] {0, 1, 1, 0, 0, 0});
            Space space = heads.saveWeights(Space.ofModel("m@1"), swap);
            heads.publish(HeadStoreTest.listing(space));
            String headSpace = space.id();
            ImageRow after = ImageRow.ok("b", "m@1", "o1", "1", "h2", new float[] {0.6f, 0.8f}, T0);
            table.putImage(after);
            projector.accept(new RowsChanged(List.of(after), List.of()));

            ImageRow projected = table.findImage(headSpace, "b").orElseThrow();
            assertArrayEquals(new float[] {0.8f, 0.6f}, projected.vector(), 1e-6f);
            assertEquals(3, downstream.size(), "the base rows twice, then the head's");
            assertTrue(downstream.get(2).written().stream().allMatch(r -> r.space().equals(headSpace)));
        }
    }
}
