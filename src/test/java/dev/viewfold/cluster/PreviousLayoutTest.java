package dev.viewfold.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.store.local.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layouts one run leaves for the next: matched by id, reused whole only when nothing changed. */
class PreviousLayoutTest {

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final ClusterSettings settings = ClusterSettings.defaults().forCollection(3);
    final float[][] vectors = {{1, 0}, {0, 1}, {0.6f, 0.8f}};

    @Test
    void aGrownCollectionStartsItsOldRowsWhereTheyWereAndItsNewOnesNowhere() throws Exception {
        var bucket = new LocalObjectStore(dir);
        List<String> before = List.of("a", "b", "c");
        Clustering run = new Clustering(new int[3], new double[3], new double[3], 1,
                new float[][] {{1.5f, 2}, {3, 4}, {5, 6}}, new float[][] {{0.1f, 0.2f, 0.3f}, {1, 1, 1}, {2.0000001f, 2, 2}});
        String input = PreviousLayout.inputDigest(settings, before, vectors);
        bucket.put("maps/latest/" + PreviousLayout.FILE, PreviousLayout.write(json, "r1", input, before, run), Map.of());

        List<String> warnings = new ArrayList<>();
        var same = PreviousLayout.read(bucket, json, "maps/latest/", before, input, 3, warnings);
        assertTrue(same.unchanged(), "the same rows, vectors and settings");
        assertArrayEquals(run.space()[2], same.space()[2], "positions kept exactly, not rounded");

        List<String> now = List.of("b", "c", "d");
        float[][] grown = {{0, 1}, {0.6f, 0.8f}, {0.8f, 0.6f}};
        var prior = PreviousLayout.read(bucket, json, "maps/latest/", now,
                PreviousLayout.inputDigest(settings, now, grown), 3, warnings);
        assertFalse(prior.unchanged());
        assertArrayEquals(new float[] {1, 1, 1}, prior.space()[0]);
        assertArrayEquals(new float[] {5, 6}, prior.map()[1]);
        assertNull(prior.space()[2], "d is new");
        assertEquals(2, prior.placed());
        assertEquals(List.of(), warnings);

        var moved = PreviousLayout.read(bucket, json, "maps/latest/", before,
                PreviousLayout.inputDigest(settings.withNeighbours(30), before, vectors), 3, warnings);
        assertFalse(moved.unchanged(), "other settings shape other layouts");
    }

    @Test
    void aMissingOrUnreadableLayoutIsAColdStartAndOnlyTheUnreadableOneIsReported() throws Exception {
        var bucket = new LocalObjectStore(dir);
        List<String> warnings = new ArrayList<>();
        List<String> ids = List.of("a", "b", "c");
        String input = PreviousLayout.inputDigest(settings, ids, vectors);
        assertSame(ClusterPipeline.Prior.NONE, PreviousLayout.read(bucket, json, "maps/latest/", ids, input, 3, warnings));
        assertEquals(List.of(), warnings, "a first run has nothing to report");

        bucket.put("maps/latest/" + PreviousLayout.FILE, "{\"run\":\"r1\",\"ids\":[\"a\"".getBytes(), Map.of());
        assertSame(ClusterPipeline.Prior.NONE, PreviousLayout.read(bucket, json, "maps/latest/", ids, input, 3, warnings));
        assertTrue(warnings.get(0).startsWith("maps/latest/layout.json could not be read"), warnings.toString());

        bucket.put("maps/latest/" + PreviousLayout.FILE,
                "{\"ids\":[\"a\"],\"space\":[[1,2]],\"map\":[[1,2]]}".getBytes(), Map.of());
        assertSame(ClusterPipeline.Prior.NONE, PreviousLayout.read(bucket, json, "maps/latest/", ids, input, 3, warnings));
        assertTrue(warnings.get(1).contains("(3 dimensions)"), warnings.toString());
    }
}
