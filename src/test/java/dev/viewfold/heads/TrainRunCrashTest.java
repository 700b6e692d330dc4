package dev.viewfold.heads;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.errors.Refused;
import dev.viewfold.groups.Labelled;
import dev.viewfold.groups.Synthetic;
import dev.viewfold.groups.TrainingSettings;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import dev.viewfold.testing.FaultyTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training run that dies while filling its head's space leaves no listed head, and searches are told so. */
class TrainRunCrashTest {

    static final Space MODEL = Space.ofModel("m@1");
    static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");
    static final TrainingSettings QUICK = TrainingSettings.defaults().withOutputDim(4).withMaxEpochs(3).withPatience(2);

    @Test
    void aRunKilledWhileFillingTheSpaceListsNothingAndTheSpaceAnswers503UntilATrainFinishes(@TempDir Path dir)
            throws Exception {
        HeadStore heads = new HeadStore(new LocalObjectStore(dir.resolve("bucket")), new ObjectMapper());
        try (SqliteVectorTable table = new SqliteVectorTable(dir.resolve("data"))) {
            List<ImageRow> rows = new ArrayList<>();
            for (Labelled l : Synthetic.separated(8, 8, 4, 0.05, 3)) {
                rows.add(ImageRow.ok(l.id(), MODEL.id(), l.id(), "0", "h", l.vector(), AT).withLabels(l.labels()));
            }
            table.putImages(rows);
            Spaces spaces = new Spaces(MODEL, heads::spacesOf, heads::unlisted);
            // The first write into the head's space dies (a kill, a full disk).
            FaultyTable dying = new FaultyTable(table, 1, FaultyTable.When.BEFORE,
                    op -> op.equals("putImages"));
            TrainRun crashing = new TrainRun(dying, heads, Clock.fixed(AT, ZoneOffset.UTC), c -> { }, t -> { }, "test");
            assertThrows(FaultyTable.InjectedFault.class,
                    () -> crashing.train(MODEL, QUICK, TrainRun.Examples.IMAGES, Duration.ZERO, l -> { }));

            assertTrue(heads.spacesOf(MODEL).isEmpty(), "no head listed with an empty space");
            TrainRun run = new TrainRun(table, heads, Clock.fixed(AT, ZoneOffset.UTC), c -> { }, t -> { }, "test");
            Space head = run.train(MODEL, QUICK, TrainRun.Examples.IMAGES, Duration.ZERO, l -> { }).headSpace();
            // (The same data and seed make the same head: the space the dead run was filling.)
            assertEquals(List.of(head), heads.spacesOf(MODEL));
            assertEquals(32, table.stats(head.id()).images());
            assertEquals(head, spaces.require(head.id()));

            Space other = MODEL.withHead("0123456789ab");
            heads.saveWeights(MODEL, new dev.viewfold.groups.ProjectionHead(dev.viewfold.groups.HeadKind.LINEAR, 2, 0, 2,
                    new float[] {1, 0, 0, 1, 0, 0}));
            Space unfinished = MODEL.withHead(new dev.viewfold.groups.ProjectionHead(dev.viewfold.groups.HeadKind.LINEAR,
                    2, 0, 2, new float[] {1, 0, 0, 1, 0, 0}).digest());
            Refused notReady = assertThrows(Refused.class, () -> spaces.require(unfinished.id()));
            assertEquals(503, notReady.status(), notReady.getMessage());
            assertTrue(notReady.getMessage().contains("is not ready"), notReady.getMessage());
            assertEquals(404, assertThrows(Refused.class, () -> spaces.require(other.id())).status());
        }
    }
}
