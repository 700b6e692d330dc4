package dev.viewfold.heads;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.groups.HeadKind;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.space.Space;
import dev.viewfold.store.local.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadStoreTest {

    static final Space MODEL = Space.ofModel("m@1");

    /** The smallest report that lists a head. */
    static HeadReport listing(Space headSpace) {
        return new HeadReport(headSpace.model(), headSpace.id(), headSpace.headDigest(), "2026-12-01T00:00:00Z", "test",
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    static ProjectionHead head(int i) {
        // A 2-d linear head whose bias makes each one (and its digest) different.
        return new ProjectionHead(HeadKind.LINEAR, 2, 0, 2, new float[] {1, 0, 0, 1, i * 1e-3f, 0});
    }

    @Test
    void twoProcessesSavingHeadsAtOnceLoseNone(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        // Two stores over one bucket folder: two processes, each guarding only itself.
        List<HeadStore> processes = List.of(new HeadStore(new LocalObjectStore(dir), json),
                new HeadStore(new LocalObjectStore(dir), json));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Space>> saved = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                HeadStore store = processes.get(i % 2);
                ProjectionHead head = head(i);
                saved.add(pool.submit(() -> {
                    Space space = store.saveWeights(MODEL, head);
                    store.publish(listing(space));
                    return space;
                }));
            }
            Set<Space> expected = new HashSet<>();
            for (Future<Space> f : saved) {
                expected.add(f.get());
            }
            assertEquals(60, expected.size());
            for (HeadStore store : processes) {
                assertEquals(expected, new HashSet<>(store.spacesOf(MODEL)));
            }
            assertEquals(expected, new HashSet<>(new HeadStore(new LocalObjectStore(dir), json).spacesOf(MODEL)),
                    "a third process reads every head too");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHeadIsListedOnlyOnceItsReportIsWritten(@TempDir Path dir) throws Exception {
        HeadStore store = new HeadStore(new LocalObjectStore(dir), new ObjectMapper());
        Space space = store.saveWeights(MODEL, head(1));
        assertTrue(store.spacesOf(MODEL).isEmpty(), "weights alone (a run that died while filling the space)");
        assertArrayEquals(head(1).project(new float[] {0.6f, 0.8f}), store.head(space).project(new float[] {0.6f, 0.8f}));
        store.publish(listing(space));
        assertEquals(List.of(space), store.spacesOf(MODEL));
        assertEquals("test", store.report(space).viewfoldVersion());
    }

    @Test
    void anUnreadableReportLeavesItsHeadOutInsteadOfBreakingTheListing(@TempDir Path dir) throws Exception {
        HeadStore store = new HeadStore(new LocalObjectStore(dir), new ObjectMapper());
        Space good = store.saveWeights(MODEL, head(1));
        store.publish(listing(good));
        Files.writeString(dir.resolve("heads/m@1/0badbadbad00.json"), "{\"space\": ");
        assertEquals(List.of(good), new HeadStore(new LocalObjectStore(dir), new ObjectMapper()).spacesOf(MODEL));
        assertThrows(java.util.NoSuchElementException.class, () -> store.head(MODEL.withHead("000000000000")));
    }
}
