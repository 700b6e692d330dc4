package dev.viewfold.search.hnsw;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two heaps the searches lean on, against sorting. */
class HeapsTest {

    @Test
    void scoreHeapPopsLargestKeyFirstAndGrows() {
        Random rnd = new Random(1);
        ScoreHeap heap = new ScoreHeap(2);
        List<float[]> pushed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            float key = rnd.nextFloat() * 2 - 1;
            heap.push(i, key);
            pushed.add(new float[] {key, i});
        }
        pushed.sort(Comparator.comparingDouble((float[] p) -> -p[0]));
        for (float[] p : pushed) {
            assertEquals(p[0], heap.topKey(), 0f);
            assertEquals((int) p[1], heap.topNode());
            heap.pop();
        }
        assertTrue(heap.isEmpty());
        heap.push(7, 0.5f);
        heap.clear();
        assertEquals(0, heap.size());
    }

    @Test
    void topKKeepsTheKBestWithTiesByLowerSlot() {
        Random rnd = new Random(2);
        TopK top = new TopK(10);
        List<float[]> all = new ArrayList<>();
        for (int slot = 0; slot < 1000; slot++) {
            float score = Math.round(rnd.nextFloat() * 50) / 50f; // many ties
            top.offer(slot, score);
            all.add(new float[] {score, slot});
        }
        all.sort(Comparator.comparingDouble((float[] p) -> -p[0]).thenComparingDouble(p -> p[1]));
        int[] order = top.bestFirst();
        assertEquals(10, order.length);
        for (int i = 0; i < 10; i++) {
            assertEquals(all.get(i)[0], top.score(order[i]), 0f, "rank " + i);
        }
        assertEquals(all.get(9)[0], top.threshold(), 0f, "what a candidate must beat");
    }
}
