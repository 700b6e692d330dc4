package dev.viewfold.heads;

import dev.viewfold.groups.ViewWhitening;
import dev.viewfold.errors.Refused;
import dev.viewfold.space.Space;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.math.Rng;
import dev.viewfold.math.Vectors;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowsChanged;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import org.junit.jupiter.api.AfterEach;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --head whiten}: fitted from the observations' own views, then every fold made again whitened. */
class TrainRunWhitenTest {

    static final String BASE = "m@1";
    static final Space MODEL = Space.ofModel(BASE);
    static final Instant UPLOADED = Instant.parse("2026-11-24T11:00:00Z");
    static final Instant FITTED = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();
    SqliteVectorTable table;
    Aggregator aggregator;
    HeadStore heads;

    static final int D = 16;

    /**
     * {@code observations} observations of {@code views} views, folded by mean: each observation its
     * own small offset in 14 dimensions (what it is), its views spread widely along axis 0 (the angle,
     * even observations from one side, odd from the other), a common component on axis 15.
     */
    void catalogue(int observations, int views) {
        heads = new HeadStore(new LocalObjectStore(dir.resolve("bucket")), json);
        table = new SqliteVectorTable(dir.resolve("data"));
        aggregator = new Aggregator(table, new FoldStrategies(List.of(new MeanStrategy()), "mean"),
                Clock.fixed(UPLOADED, ZoneOffset.UTC));
        Rng rng = new Rng(11);
        List<ImageRow> rows = new ArrayList<>();
        for (int o = 0; o < observations; o++) {
            float[] identity = new float[D];
            for (int k = 1; k < D - 1; k++) {
                identity[k] = (float) (0.05 * rng.nextGaussian());
            }
            float[][] v = new float[views][];
            for (int i = 0; i < views; i++) {
                float[] x = new float[D];
                for (int k = 1; k < D - 1; k++) {
                    x[k] = identity[k] + (float) (0.01 * rng.nextGaussian());
                }
                x[0] = (float) ((o % 2 == 0 ? -0.5 : 0.5) + 0.3 * rng.nextGaussian());
                x[D - 1] = 1;
                v[i] = Vectors.normalised(x);
            }
            for (int i = 0; i < views; i++) {
                rows.add(ImageRow.ok("o" + o + "/" + i, BASE, "o" + o, Integer.toString(i), "h" + o + i, v[i], UPLOADED));
            }
        }
        aggregator.afterRowsChanged(new RowsChanged(table.putImages(rows), List.of()));
    }

    @AfterEach
    void close() {
        table.close();
    }

    private TrainRun run() {
        return new TrainRun(table, heads, Clock.fixed(FITTED, ZoneOffset.UTC), aggregator::afterRowsChanged,
                time -> { }, "test");
    }

    @Test
    void leavesFlaggedViewsOutChecksOnHeldOutObservationsAndFoldsTheWhitenedViews() throws Exception {
        catalogue(12, 4);
        ObservationRow o3 = table.findObservation(BASE, "o3").orElseThrow();
        List<ObservationRow.ViewScore> flagged = new ArrayList<>(o3.views());
        var first = flagged.get(0);
        flagged.set(0, new ObservationRow.ViewScore(first.imageId(), first.viewId(), first.agreement(), true));
        table.putFold(new ObservationRow(o3.observationId(), BASE, o3.status(), null, o3.vector(), "robust", flagged,
                o3.dispersion(), "one view flagged", o3.inputVersion() + 1, o3.labels(), null, UPLOADED));
        // o5's stored fold is its first view alone (as a sequence model might make it): the projection
        // copies that, and the refold must replace it with the fold of the whitened views.
        ObservationRow o5 = table.findObservation(BASE, "o5").orElseThrow();
        float[] firstView = table.imagesOfObservation(BASE, "o5").get(0).vector();
        table.putFold(new ObservationRow("o5", BASE, o5.status(), null, firstView, "sequence", o5.views(), 0,
                "first view", o5.inputVersion() + 1, o5.labels(), null, UPLOADED));

        TrainRun.Outcome outcome = run().whiten(MODEL, ViewWhitening.DEFAULT_SHRINK, Duration.ZERO, line -> { });
        HeadReport report = outcome.report();

        assertEquals(47, report.views(), "48 views less the flagged one");
        assertEquals(1, report.flaggedViewsLeftOut());
        assertEquals(12, report.observations());
        assertEquals(5, report.validationObservations(), "a fifth of 12, but at least 5");
        assertTrue(report.validationHead().mapAtR() > report.validationRaw().mapAtR() + 0.1,
                "whitening divides the angle out: " + report);
        assertNull(report.warning(), report.toString());
        assertEquals("whiten", report.settings().head());
        assertEquals("test", report.viewfoldVersion());
        assertEquals(List.of(outcome.headSpace()), heads.spacesOf(MODEL));
        assertEquals(48, report.imagesProjected());

        // The head space's fold is the mean of the whitened views, not the whitened raw mean.
        List<float[]> whitened = new ArrayList<>();
        table.imagesOfObservation(outcome.headSpace().id(), "o5").forEach(r -> whitened.add(r.vector()));
        assertEquals(4, whitened.size());
        float[] expected = new float[whitened.get(0).length];
        whitened.forEach(v -> {
            for (int k = 0; k < v.length; k++) {
                expected[k] += v[k];
            }
        });
        float[] folded = table.findObservation(outcome.headSpace().id(), "o5").orElseThrow().vector();
        assertArrayEquals(Vectors.normalised(expected), folded, 1e-5f);
        float[] projectedFold = outcome.head().project(firstView);
        double apart = 0;
        for (int k = 0; k < folded.length; k++) {
            apart = Math.max(apart, Math.abs(projectedFold[k] - folded[k]));
        }
        assertTrue(apart > 1e-3, "refolded, not the stored fold projected (" + apart + ")");
        assertEquals("mean", table.findObservation(outcome.headSpace().id(), "o5").orElseThrow().strategy());
    }

    @Test
    void tooFewObservationsToHoldOutAreFittedButSaySo() throws Exception {
        catalogue(4, 3);
        TrainRun.Outcome outcome = run().whiten(MODEL, 0.1, Duration.ZERO, line -> { });
        assertTrue(outcome.report().warning().startsWith("only 4 observations have two or more views"),
                outcome.report().toString());
        assertNull(outcome.report().validationHead());
        assertEquals(12, outcome.report().imagesProjected());
    }

    @Test
    void refusesAHeadSpaceAndASpaceWithoutMultiViewObservations() throws Exception {
        catalogue(3, 1);
        assertTrue(assertThrows(Refused.class, () -> run().whiten(MODEL, 0.1, Duration.ZERO, l -> { }))
                .getMessage().contains("two or more views"));
        assertTrue(assertThrows(Refused.class,
                () -> run().whiten(MODEL.withHead("abc"), 0.1, Duration.ZERO, l -> { })).getMessage()
                .contains("is a head's space"));
        assertTrue(heads.spacesOf(MODEL).isEmpty(), "nothing saved");
    }
}
