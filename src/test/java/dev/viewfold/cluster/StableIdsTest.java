package dev.viewfold.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StableIdsTest {

    private static final String N = StableIds.NOISE_BEFORE;

    @Test
    void aFirstRunNumbersClustersFromTheNextNumber() {
        var a = StableIds.assign(new String[5], new int[] {0, 0, 1, -1, 1}, 7);
        assertArrayEquals(new String[] {"c7", "c7", "c8", null, "c8"}, a.ids());
        assertEquals(List.of("c7", "c8"), a.changes().births());
        assertEquals(5, a.changes().newObservations());
        assertEquals(9, a.nextNumber());
        assertEquals(null, a.changes().keptFraction(), "a first run keeps nothing: no share to report");
    }

    @Test
    void theSameGroupingKeepsEveryIdWhateverTheRunsNumbering() {
        String[] previous = {"c4", "c4", "c9", N, "c9"};
        // This run numbered the clusters the other way round.
        var a = StableIds.assign(previous, new int[] {1, 1, 0, -1, 0}, 10);
        assertArrayEquals(new String[] {"c4", "c4", "c9", null, "c9"}, a.ids());
        assertEquals(5, a.changes().kept());
        assertEquals(1.0, a.changes().keptFraction());
        assertEquals(List.of(), a.changes().births());
        assertEquals(List.of(), a.changes().deaths());
        assertEquals(10, a.nextNumber(), "no id used up");
    }

    @Test
    void aGrowingClusterKeepsItsIdAndNewObservationsJoinIt() {
        String[] previous = {"c1", "c1", "c1", null, null};
        var a = StableIds.assign(previous, new int[] {0, 0, 0, 0, 0}, 2);
        assertArrayEquals(new String[] {"c1", "c1", "c1", "c1", "c1"}, a.ids());
        assertEquals(3, a.changes().kept());
        assertEquals(2, a.changes().newObservations());
    }

    @Test
    void aSplitKeepsTheIdOnTheLargerPartAndRecordsIt() {
        String[] previous = {"c3", "c3", "c3", "c3", "c3", "c3"};
        var a = StableIds.assign(previous, new int[] {1, 1, 0, 0, 0, 0}, 4);
        assertArrayEquals(new String[] {"c4", "c4", "c3", "c3", "c3", "c3"}, a.ids());
        assertEquals(List.of(new ClusterChanges.Split("c3", List.of("c3", "c4"))), a.changes().splits());
        assertEquals(List.of("c4"), a.changes().births());
        assertEquals(2, a.changes().moved());
    }

    @Test
    void aMergeKeepsTheIdOfTheLargerContributorAndRecordsTheOtherAsGone() {
        String[] previous = {"c1", "c1", "c1", "c2", "c2", N};
        var a = StableIds.assign(previous, new int[] {0, 0, 0, 0, 0, -1}, 3);
        assertArrayEquals(new String[] {"c1", "c1", "c1", "c1", "c1", null}, a.ids());
        assertEquals(List.of(new ClusterChanges.Merge(List.of("c1", "c2"), "c1")), a.changes().merges());
        assertEquals(List.of("c2"), a.changes().deaths());
        assertEquals(3, a.nextNumber());
    }

    @Test
    void aClusterMostlyOfNewcomersDoesNotStealAnOldId() {
        // c1's members dissolved into noise but one; the new cluster is mostly observations never seen.
        String[] previous = {"c1", "c1", "c1", "c1", "c1", null, null, null};
        var a = StableIds.assign(previous, new int[] {-1, -1, -1, -1, 0, 0, 0, 0}, 2);
        // The one shared member is all the new cluster's previously clustered members: it continues c1.
        assertEquals("c1", a.ids()[7]);
        assertEquals(4, a.changes().intoNoise());
        // A second cluster drawing a minority of an old one that is already taken is a birth.
        var b = StableIds.assign(new String[] {"c1", "c1", "c1", "c2", "c2", "c2", "c2"},
                new int[] {0, 0, 1, 1, 1, 1, 1}, 3);
        assertArrayEquals(new String[] {"c1", "c1", "c2", "c2", "c2", "c2", "c2"}, b.ids());
    }

    @Test
    void noiseTransitionsAreCountedApart() {
        String[] previous = {"c1", "c1", "c1", N, N};
        var a = StableIds.assign(previous, new int[] {0, 0, -1, 0, -1}, 2);
        assertEquals(2, a.changes().kept() - 1, "c1 twice kept, noise once kept");
        assertEquals(1, a.changes().intoNoise());
        assertEquals(1, a.changes().outOfNoise());
        assertNull(a.ids()[4]);
    }

    @Test
    void idsCompareByNumber() {
        assertEquals(-1, Integer.signum(StableIds.compareIds("c2", "c10")));
        assertEquals(10, StableIds.number("c10"));
        assertEquals(-1, StableIds.number("x10"));
    }
}
