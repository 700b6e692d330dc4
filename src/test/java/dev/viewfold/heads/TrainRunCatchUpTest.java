package dev.viewfold.heads;

import dev.viewfold.groups.Synthetic;
import dev.viewfold.groups.Labelled;
import dev.viewfold.groups.TrainingSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.space.Space;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest in another process follows a new head only after heads-refresh: the train run catches up with it. */
class TrainRunCatchUpTest {

    static final String BASE = "m@1";
    static final Space MODEL = Space.ofModel(BASE);
    static final Instant LABELLED_AT = Instant.parse("2026-11-24T11:00:00Z");
    static final Instant TRAINED_AT = Instant.parse("2026-11-24T12:00:00Z");
    static final TrainingSettings QUICK = TrainingSettings.defaults().withOutputDim(4).withMaxEpochs(3).withPatience(2);

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    HeadStore heads;
    SqliteVectorTable table;

    /** Labelled image rows in {@link #BASE}, stamped an hour before the run. */
    @BeforeEach
    void labelled() {
        heads = new HeadStore(new LocalObjectStore(dir.resolve("bucket")), json);
        table = new SqliteVectorTable(dir.resolve("data"));
        List<ImageRow> rows = new ArrayList<>();
        for (Labelled l : Synthetic.separated(8, 8, 4, 0.05, 3)) {
            rows.add(ImageRow.ok(l.id(), BASE, l.id(), "0", "h-" + l.id(), l.vector(), LABELLED_AT)
                    .withLabels(l.labels()));
        }
        table.putImages(rows);
    }

    @AfterEach
    void close() {
        table.close();
    }

    private TrainRun run(Consumer<RowsChanged> folded, TrainRun.Waiter waiter) {
        return new TrainRun(table, heads, Clock.fixed(TRAINED_AT, ZoneOffset.UTC), folded, waiter, "test");
    }

    /** A row ingest elsewhere writes while the run waits: it does not know the head yet, so only the base gets it. */
    private static ImageRow writtenElsewhere() {
        float[] v = {0.6f, 0.8f, 0, 0, 0, 0, 0, 0};
        return ImageRow.ok("late", BASE, "o-late", "0", "h-late", v, TRAINED_AT.plusSeconds(30));
    }

    @Test
    void rowsWrittenElsewhereWhileItWaitsReachTheHeadSpaceAndAreFoldedThere() throws Exception {
        List<RowsChanged> folded = new ArrayList<>();
        List<Duration> waits = new ArrayList<>();
        ImageRow late = writtenElsewhere();
        TrainRun run = run(folded::add, time -> {
            waits.add(time);
            table.putImage(late);
        });

        TrainRun.Outcome outcome = run.train(MODEL, QUICK, TrainRun.Examples.IMAGES, Duration.ofSeconds(65), l -> { });

        assertEquals(List.of(Duration.ofSeconds(65)), waits);
        ImageRow projected = table.findImage(outcome.headSpace().id(), "late").orElseThrow(
                () -> new AssertionError("the row written during the wait is missing from the head's space"));
        assertArrayEquals(outcome.head().project(late.vector()), projected.vector(), 1e-6f);
        assertEquals(1, outcome.report().catchUp().images(),
                "only the rows written since the head was listed (the labelled ones are an hour older)");
        assertTrue(folded.stream().flatMap(c -> c.written().stream())
                .anyMatch(r -> r.imageId().equals("late") && r.space().equals(outcome.headSpace().id())),
                "the caught-up row is handed on to be folded in the head's space");
        assertEquals(33, table.stats(outcome.headSpace().id()).images(), "the 32 labelled and the late one");
    }

    @Test
    void withoutCatchUpItNeitherWaitsNorScans() throws Exception {
        TrainRun run = run(c -> { }, time -> {
            throw new AssertionError("waited " + time + " with no catch-up asked for");
        });
        TrainRun.Outcome outcome = run.train(MODEL, QUICK, TrainRun.Examples.IMAGES, Duration.ZERO, l -> { });
        assertNull(outcome.report().catchUp());
        assertEquals(32, outcome.report().imagesProjected());
    }

    @Test
    void anInterruptedWaitKeepsTheHeadAndSaysWhatMayBeMissing() throws Exception {
        TrainRun run = run(c -> { }, time -> {
            throw new InterruptedException("stopping");
        });
        TrainRun.Outcome outcome = run.train(MODEL, QUICK, TrainRun.Examples.IMAGES, Duration.ofSeconds(65), l -> { });
        assertTrue(Thread.interrupted(), "the interrupt is passed on");
        assertTrue(outcome.report().catchUp().warning().contains("may be missing from " + outcome.headSpace()),
                outcome.report().toString());
        assertEquals(List.of(outcome.headSpace()), heads.spacesOf(MODEL));
    }
}
