package dev.viewfold.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.aggregate.StaleFolds;
import dev.viewfold.groups.HeadKind;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.heads.HeadReport;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.heads.Reprojection;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repair pass on a real table: what a crash between writing rows and deriving from them leaves. */
class CheckRunTest {

    static final Space MODEL = Space.ofModel("m@1");
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;
    SqliteVectorTable table;
    HeadStore heads;
    Aggregator aggregator;
    CheckRun check;

    @BeforeEach
    void open() {
        table = new SqliteVectorTable(dir.resolve("data"));
        heads = new HeadStore(new LocalObjectStore(dir.resolve("bucket")), new ObjectMapper());
        aggregator = new Aggregator(table, new FoldStrategies(List.of(new MeanStrategy(), new RobustStrategy(2, 0.1)),
                "robust"), Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
        check = new CheckRun(table, new Spaces(MODEL, heads::spacesOf), heads, aggregator,
                Clock.fixed(T0.plusSeconds(900), ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        table.close();
    }

    static ImageRow view(String space, String obs, int i, long second) {
        float[] v = new float[] {1, 0.1f * i, 0, 0};
        return ImageRow.ok("file:/" + obs + "/" + i + ".jpg", space, obs, Integer.toString(i), "h" + i,
                dev.viewfold.math.Vectors.normalised(v), T0.plusSeconds(second));
    }

    /** Rows written, the process gone before it folded them (the in-process trigger never ran). */
    List<ImageRow> writtenThenCrashed(String obs, int from, int to, long second) {
        List<ImageRow> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rows.add(view(MODEL.id(), obs, i, second));
        }
        table.putImages(rows);
        return rows;
    }

    @Test
    void foldsLeftBehindByACrashAreFoundAndMadeWhole() {
        // obj5: 32 views folded, then 32 more written and the process killed before the fold.
        aggregator.afterRowsChanged(new RowsChanged(writtenThenCrashed("obj5", 0, 32, 1), List.of()));
        writtenThenCrashed("obj5", 32, 64, 2);
        // obj6: written, never folded at all. obj7: folded, then one view deleted without a refold.
        writtenThenCrashed("obj6", 0, 4, 3);
        aggregator.afterRowsChanged(new RowsChanged(writtenThenCrashed("obj7", 0, 3, 4), List.of()));
        table.deleteImage(MODEL.id(), "file:/obj7/1.jpg");
        // obj8: relabelled after its fold (the label edit's refold lost).
        aggregator.afterRowsChanged(new RowsChanged(writtenThenCrashed("obj8", 0, 2, 5), List.of()));
        table.putImages(List.of(view(MODEL.id(), "obj8", 0, 5).withLabels(Set.of("mug")).touched(T0.plusSeconds(6))));
        // obj9: folded and current.
        aggregator.afterRowsChanged(new RowsChanged(writtenThenCrashed("obj9", 0, 2, 7), List.of()));

        assertEquals(List.of("obj5", "obj6", "obj7", "obj8"), StaleFolds.of(table, MODEL.id()));
        assertEquals(4, check.stats().pendingFolds());
        assertEquals(32, table.findObservation(MODEL.id(), "obj5").orElseThrow().viewCount(), "stale, as a re-run would leave it");

        CheckRun.Report r = check.run();

        assertEquals(4, r.refolded());
        assertEquals(64, table.findObservation(MODEL.id(), "obj5").orElseThrow().viewCount());
        assertEquals(4, table.findObservation(MODEL.id(), "obj6").orElseThrow().viewCount());
        assertEquals(2, table.findObservation(MODEL.id(), "obj7").orElseThrow().viewCount());
        assertEquals(Set.of("mug"), table.findObservation(MODEL.id(), "obj8").orElseThrow().labels());
        assertTrue(StaleFolds.of(table, MODEL.id()).isEmpty());
        assertEquals(0, check.run().refolded(), "a second pass finds nothing");
    }

    @Test
    void anObservationWhoseViewsAreAllGoneIsFoldedEmptyAndKeepsItsStrategy() {
        aggregator.afterRowsChanged(new RowsChanged(writtenThenCrashed("obj1", 0, 2, 1), List.of()));
        aggregator.refold(MODEL.id(), "obj1", "mean");
        table.deleteImage(MODEL.id(), "file:/obj1/0.jpg");
        table.deleteImage(MODEL.id(), "file:/obj1/1.jpg");
        check.run();
        ObservationRow row = table.findObservation(MODEL.id(), "obj1").orElseThrow();
        assertEquals(0, row.viewCount());
        assertEquals("mean", row.strategy());
        assertTrue(StaleFolds.of(table, MODEL.id()).isEmpty());
    }

    @Test
    void aHeadsSpaceMissingRowsWrittenBeforeItWasFollowedIsFilledAndFolded() throws Exception {
        aggregator.afterRowsChanged(new RowsChanged(writtenThenCrashed("obj1", 0, 3, 1), List.of()));
        ProjectionHead swap = new ProjectionHead(HeadKind.LINEAR, 4, 0, 4,
                new float[] {0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0});
        Space headSpace = heads.saveWeights(MODEL, swap);
        Reprojection.all(table, MODEL.id(), headSpace.id(), swap, T0.plusSeconds(2));
        heads.publish(new HeadReport(MODEL.id(), headSpace.id(), swap.digest(), T0.toString(), "test", null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        assertTrue(StaleFolds.of(table, headSpace.id()).isEmpty(), "a projected space is current as projected");
        // Ingest wrote two more views and died before projecting them into the head's space.
        writtenThenCrashed("obj1", 3, 5, 3);
        // And an image was deleted from the model space only.
        table.deleteImage(MODEL.id(), "file:/obj1/0.jpg");

        CheckRun.Report r = check.run();

        assertEquals(3, r.reprojected(), "two rows projected, one removed");
        assertEquals(4, table.stats(headSpace.id()).images());
        assertEquals(4, table.findObservation(headSpace.id(), "obj1").orElseThrow().viewCount());
        assertEquals(4, table.findObservation(MODEL.id(), "obj1").orElseThrow().viewCount());
        assertTrue(StaleFolds.of(table, headSpace.id()).isEmpty());
        assertEquals(0, check.run().reprojected());
    }
}
