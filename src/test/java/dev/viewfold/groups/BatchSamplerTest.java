package dev.viewfold.groups;

import dev.viewfold.math.Rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {

    @Test
    void batchesHavePDistinctGroupsOfKDistinctItemsAndCoverEveryItem() {
        // 10 groups of 6 items (item i is in group i / 6), one group of 3, one of 1 (never dealt).
        int[][] members = new int[12][];
        for (int g = 0; g < 10; g++) {
            members[g] = new int[6];
            for (int i = 0; i < 6; i++) {
                members[g][i] = g * 6 + i;
            }
        }
        members[10] = new int[] {60, 61, 62};
        members[11] = new int[] {63};
        BatchSampler sampler = new BatchSampler(members, 4, 4, new Rng(1));
        assertEquals(16, sampler.capacity());
        int[] batch = new int[16];
        Set<Integer> seen = new HashSet<>();
        for (int b = 0; b < 40; b++) {
            int n = sampler.next(batch);
            Set<Integer> items = new HashSet<>();
            Set<Integer> groups = new HashSet<>();
            for (int s = 0; s < n; s++) {
                items.add(batch[s]);
                groups.add(batch[s] >= 60 ? 10 : batch[s] / 6);
                assertTrue(batch[s] != 63, "a lone item has no positive: never dealt");
            }
            assertEquals(n, items.size(), "no item twice in a batch");
            assertEquals(4, groups.size());
            assertTrue(n == 16 || n == 15, "4 × 4, or 3 × 4 + 3 with the small group: " + n);
            seen.addAll(items);
        }
        assertEquals(63, seen.size());
    }

    @Test
    void fewerGroupsThanPUsesThemAll() {
        BatchSampler sampler = new BatchSampler(new int[][] {{0, 1}, {2, 3, 4}}, 16, 4, new Rng(2));
        int[] batch = new int[sampler.capacity()];
        assertEquals(5, sampler.next(batch));
    }
}
