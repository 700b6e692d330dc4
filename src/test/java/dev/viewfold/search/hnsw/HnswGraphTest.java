package dev.viewfold.search.hnsw;

import dev.viewfold.math.DotKernels;
import dev.viewfold.testing.FashionMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph alone (builder, searcher, format) over real pixels, against an exact scan. */
class HnswGraphTest {

    static final int N = 3_000;
    static final int QUERIES = 100;
    static float[][] data;

    @BeforeAll
    static void load() {
        data = FashionMnist.unitVectors(N + QUERIES);
    }

    static VectorSlab slab(int n) {
        VectorSlab slab = new VectorSlab(784, DotKernels.best());
        for (int i = 0; i < n; i++) {
            slab.add(data[i]);
        }
        return slab;
    }

    static HnswGraphBuilder built(VectorSlab slab, long seed) {
        HnswGraphBuilder b = new HnswGraphBuilder(new OnHeapHnswGraph(12), slab, 80, seed);
        for (int i = 0; i < slab.size(); i++) {
            b.insertNext();
        }
        return b;
    }

    static Set<Integer> exact(VectorSlab slab, float[] q, int k) {
        TopK top = new TopK(k);
        for (int i = 0; i < slab.size(); i++) {
            top.offer(i, slab.dot(i, q));
        }
        Set<Integer> out = new HashSet<>();
        for (int p : top.bestFirst()) {
            out.add(top.slot(p));
        }
        return out;
    }

    static double recall(VectorSlab slab, OnHeapHnswGraph graph) {
        HnswGraphSearcher searcher = new HnswGraphSearcher(graph, slab);
        int found = 0;
        for (int q = 0; q < QUERIES; q++) {
            float[] query = data[N + q];
            Set<Integer> truth = exact(slab, query, 10);
            TopK top = new TopK(10);
            searcher.search(query, 40, null, top);
            for (int p : top.bestFirst()) {
                found += truth.contains(top.slot(p)) ? 1 : 0;
            }
        }
        return found / (10.0 * QUERIES);
    }

    @Test
    void everyNodeHasLinksWithinItsLevelsBoundsAndSearchFindsTheTrueNeighbours() {
        VectorSlab slab = slab(N);
        OnHeapHnswGraph g = built(slab, 42).graph();
        assertEquals(N, g.size());
        for (int node = 0; node < N; node++) {
            assertTrue(g.linkCount(node, 0) >= 1, "node " + node + " is reachable from somewhere");
            for (int l = 0; l <= g.level(node); l++) {
                assertTrue(g.linkCount(node, l) <= (l == 0 ? 24 : 12));
                for (int n : g.links(node, l)) {
                    assertTrue(n != node && g.level(n) >= l, "a link on level " + l + " goes to a node of that level");
                }
            }
        }
        assertEquals(g.maxLevel(), g.level(g.entry()), "the entry point sits on the top level");
        double recall = recall(slab, g);
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }

    @Test
    void aFilterRejectsNodesButTheyStillConnectTheWalk() {
        VectorSlab slab = slab(N);
        HnswGraphSearcher searcher = new HnswGraphSearcher(built(slab, 42).graph(), slab);
        TopK top = new TopK(10);
        searcher.search(data[N], 200, node -> node % 3 == 0, top);
        assertEquals(10, top.size());
        for (int p : top.bestFirst()) {
            assertEquals(0, top.slot(p) % 3);
        }
    }

    @Test
    void aReplacedNodeIsFoundByItsNewVectorAndTheRestStayFindable() {
        VectorSlab slab = slab(N);
        HnswGraphBuilder b = built(slab, 42);
        // Half of the nodes take other real vectors, in place.
        for (int i = 0; i < N; i += 2) {
            slab.set(i, data[(i + 1_500) % N]);
            b.replace(i);
        }
        for (int node = 0; node < N; node++) {
            for (int l = 0; l <= b.graph().level(node); l++) {
                int[] links = b.graph().links(node, l);
                assertEquals(links.length, new HashSet<>(java.util.Arrays.stream(links).boxed().toList()).size(),
                        "no node listed twice");
            }
        }
        double recall = recall(slab, b.graph());
        assertTrue(recall >= 0.93, "recall@10 after replacing half of the vectors " + recall);
    }

    @Test
    void theSameInsertsGiveTheSameGraphAndTheFormatReadsBackWhatWasWritten() throws IOException {
        VectorSlab slab = slab(1_000);
        HnswGraphBuilder a = built(slab, 7);
        HnswGraphBuilder b = built(slab, 7);
        assertGraphsEqual(a.graph(), b.graph());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HnswGraphFormat.write(a, new DataOutputStream(bytes));
        HnswGraphBuilder read = HnswGraphFormat.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                slab);
        assertGraphsEqual(a.graph(), read.graph());
        // Inserts after the reload draw the levels they would have drawn: both go on alike.
        slab.add(data[1_000]);
        a.insertNext();
        read.insertNext();
        assertGraphsEqual(a.graph(), read.graph());

        byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), 40);
        assertThrows(IOException.class, () -> HnswGraphFormat.read(new DataInputStream(new ByteArrayInputStream(cut)), slab));
    }

    static void assertGraphsEqual(OnHeapHnswGraph x, OnHeapHnswGraph y) {
        assertEquals(x.size(), y.size());
        assertEquals(x.entry(), y.entry());
        assertEquals(x.maxLevel(), y.maxLevel());
        for (int node = 0; node < x.size(); node++) {
            assertEquals(x.level(node), y.level(node));
            for (int l = 0; l <= x.level(node); l++) {
                assertArrayEquals(x.links(node, l), y.links(node, l), "node " + node + " level " + l);
            }
        }
    }
}
