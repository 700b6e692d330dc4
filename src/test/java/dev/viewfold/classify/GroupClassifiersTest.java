package dev.viewfold.classify;

import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupClassifiersTest {

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    static ObservationRow observation(String id, Set<String> labels, float... v) {
        return new ObservationRow(id, "s@1", RowStatus.OK, null, v, "mean", List.of(), 0, "", 1, labels, null, T0);
    }

    @Test
    void aSpaceWithoutLabelsSaysHowToAddThemAndOneObservationPerGroupStillClassifies(@TempDir Path dir) {
        try (var table = new SqliteVectorTable(dir)) {
            var classifiers = new GroupClassifiers(table, new GroupClassifiers.Settings(3, 0.25, 42, Duration.ZERO),
                    Clock.fixed(T0, ZoneOffset.UTC));
            table.putObservation(observation("unlabelled", Set.of(), 1, 0, 0));
            var e = assertThrows(GroupClassifiers.NoLabelledObservations.class,
                    () -> classifiers.of("s@1", ClassifierKind.PROTOTYPE));
            assertTrue(e.getMessage().contains("no labelled observations") && e.getMessage().contains("labels function"),
                    e.getMessage());

            // One observation per group: nothing to hold out, so each threshold lies halfway between the best
        // score another group's observation gets and a perfect match.
            table.putObservation(observation("a", Set.of("cat"), 1, 0, 0));
            table.putObservation(observation("b", Set.of("dog"), 0.8f, 0.6f, 0));
            table.putObservation(observation("c", Set.of("fish"), 0, 0, 1));
            var c = classifiers.of("s@1", ClassifierKind.PROTOTYPE);
            assertTrue(Double.isNaN(c.heldOutAccuracy()));
            assertEquals(0.9f, c.thresholds().perGroup().get("cat"), 1e-6f, "dog's observation scores 0.8 for cat");
            assertEquals(0.5f, c.thresholds().perGroup().get("fish"), 1e-6f, "nothing else resembles fish");
            assertEquals(List.of("cat"), c.classify(new float[] {0.99f, 0.14f, 0}).groups());
            assertTrue(c.classify(new float[] {0, 1, 0}).none(), "far from everything labelled: none of these");
        }
    }
}
