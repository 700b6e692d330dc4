package dev.viewfold.classify;

import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.local.LocalObjectStore;
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
            var classifiers = new GroupClassifiers(table, settings(), Clock.fixed(T0, ZoneOffset.UTC), null);
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
            var c = (CalibratedClassifier) classifiers.of("s@1", ClassifierKind.PROTOTYPE);
            assertTrue(Double.isNaN(c.heldOutAccuracy()));
            assertEquals(ClassifierKind.PROTOTYPE, classifiers.of("s@1", ClassifierKind.AUTO).kind(),
                    "nothing held out to compare on: the prototypes");
            var refused = assertThrows(GroupClassifiers.LinearNotPossible.class,
                    () -> classifiers.of("s@1", ClassifierKind.LINEAR));
            assertEquals(409, refused.status());
            assertEquals(0.9f, c.thresholds().perGroup().get("cat"), 1e-6f, "dog's observation scores 0.8 for cat");
            assertEquals(0.5f, c.thresholds().perGroup().get("fish"), 1e-6f, "nothing else resembles fish");
            assertEquals(List.of("cat"), c.classify(new float[] {0.99f, 0.14f, 0}).groups());
            assertTrue(c.classify(new float[] {0, 1, 0}).none(), "far from everything labelled: none of these");
        }
    }

    static GroupClassifiers.Settings settings() {
        return new GroupClassifiers.Settings(3, 0.25, 42, Duration.ZERO, LinearSettings.defaults(42));
    }

    /**
     * The linear classifier is stored under the space's heads/ folder, named by its labelled rows: a
     * second process reads it instead of fitting again, and a label edit makes a new one. Where it
     * answers the held-out rows best, it is what auto answers with.
     */
    @Test
    void theLinearClassifierIsStoredPerLabelledRowsAndReusedAndAutoChoosesItWhereItWins(@TempDir Path dir)
            throws Exception {
        try (var table = new SqliteVectorTable(dir.resolve("db"))) {
            var bucket = new LocalObjectStore(dir.resolve("bucket"));
            var clock = new java.util.concurrent.atomic.AtomicReference<>(T0);
            Clock ticking = new Clock() {
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                public Clock withZone(java.time.ZoneId z) {
                    return this;
                }

                public Instant instant() {
                    return clock.get();
                }
            };
            for (var l : LinearClassifierTest.photos(24, 1, "p")) {
                table.putObservation(observation(l.id(), l.labels(), l.vector()));
            }
            var first = new GroupClassifiers(table, settings(), ticking, new LinearClassifierStore(bucket));
            var linear = (LinearClassifier) first.of("s@1", ClassifierKind.LINEAR);
            List<String> stored = bucket.list("heads/s@1/classifiers/s@1/");
            assertEquals(List.of("heads/s@1/classifiers/s@1/" + linear.rowsDigest() + ".vflc"), stored);
            assertTrue(linear.heldOut().items() > 0 && linear.heldOut().accuracy() > 0.7, linear.heldOut().toString());

            // A second process, same rows: it reads the stored classifier instead of fitting one. Prove it by
            // storing, under that name, one built with other settings (it never rejects): that is what it answers with.
            var data = dev.viewfold.labels.LabelledRows.observations(table, "s@1");
            var planted = LinearClassifier.build(data, Calibration.heldOut(data, 0.25, 42),
                    settings().linear().withRejectShare(0), linear.rowsDigest());
            bucket.put(stored.get(0), planted.toBytes(), java.util.Map.of());
            var second = new GroupClassifiers(table, settings(), ticking, new LinearClassifierStore(bucket));
            var read = (LinearClassifier) second.of("s@1", ClassifierKind.LINEAR);
            assertEquals(planted.digest(), read.digest());
            assertEquals(Rejection.NEVER, read.rejection());
            bucket.put(stored.get(0), linear.toBytes(), java.util.Map.of());
            second = new GroupClassifiers(table, settings(), ticking, new LinearClassifierStore(bucket));
            assertEquals(linear.digest(), ((LinearClassifier) second.of("s@1", ClassifierKind.LINEAR)).digest());

            var auto = second.of("s@1", ClassifierKind.AUTO);
            var prototype = second.of("s@1", ClassifierKind.PROTOTYPE);
            var knn = second.of("s@1", ClassifierKind.KNN);
            FittedClassifier best = linear;
            for (FittedClassifier c : List.of(prototype, knn)) {
                if (c.heldOut().accuracy() > best.heldOut().accuracy()) {
                    best = c;
                }
            }
            assertEquals(best.kind(), auto.kind(), "auto: the best held-out accuracy, none counted wrong");

            // A label edit: the next classifier is built for the new rows and stored beside the old one.
            clock.set(T0.plusSeconds(60));
            var moved = table.findObservation("s@1", "p00-000").orElseThrow();
            table.putObservation(new ObservationRow("p00-000", "s@1", RowStatus.OK, null, moved.vector(), "mean",
                    List.of(), 0, "", 1, Set.of("g01"), null, T0.plusSeconds(30)));
            var rebuilt = (LinearClassifier) second.of("s@1", ClassifierKind.LINEAR);
            assertTrue(!rebuilt.rowsDigest().equals(linear.rowsDigest()));
            assertEquals(2, bucket.list("heads/s@1/classifiers/s@1/").size());
        }
    }

    /** In a head's space the rows held out are the ones its head was never trained on, for every kind. */
    @Test
    void aHeadsHeldOutObservationsAreTheOnesItsClassifiersAreCheckedOn(@TempDir Path dir) {
        try (var table = new SqliteVectorTable(dir)) {
            var photos = LinearClassifierTest.photos(12, 1, "p");
            for (var l : photos) {
                table.putObservation(observation(l.id(), l.labels(), l.vector()));
            }
            Set<String> notTrainedOn = new java.util.TreeSet<>();
            for (int i = 0; i < photos.size(); i += 4) {
                notTrainedOn.add(photos.get(i).id());
            }
            var classifiers = new GroupClassifiers(table, settings(), Clock.fixed(T0, ZoneOffset.UTC), null,
                    space -> java.util.Optional.of(notTrainedOn));
            for (ClassifierKind kind : List.of(ClassifierKind.LINEAR, ClassifierKind.PROTOTYPE, ClassifierKind.KNN)) {
                assertEquals(notTrainedOn.size(), classifiers.of("s@1", kind).heldOut().items(), kind.toString());
            }
        }
    }
}
