package dev.viewfold.groups;

import dev.viewfold.math.Rng;

/**
 * P×K batches: P groups, K items of each. Groups are dealt from a seeded shuffle, reshuffled when
 * used up, so every group comes round equally often; within a group, items are dealt the same way,
 * so every item is seen before any is seen twice. A group with fewer than K items gives what it has
 * (repeating an item would only add pairs at distance zero, which teach nothing). Only groups with
 * at least two items are dealt: a lone item has no positive to learn from; it still appears as a
 * negative in other groups' batches when it carries several labels.
 */
final class BatchSampler {

    private final int[][] members;
    private final int[] groupOrder;
    private int groupCursor;
    private final int[][] memberOrder;
    private final int[] memberCursor;
    private final int p;
    private final int k;
    private final Rng rng;
    private final int[] chosen;

    /** @param members per group, the indices of its items; groups with fewer than 2 are skipped */
    BatchSampler(int[][] members, int groupsPerBatch, int perGroup, Rng rng) {
        int usable = 0;
        for (int[] m : members) {
            if (m.length >= 2) {
                usable++;
            }
        }
        this.members = new int[usable][];
        int g = 0;
        for (int[] m : members) {
            if (m.length >= 2) {
                this.members[g++] = m;
            }
        }
        this.groupOrder = new int[usable];
        for (int i = 0; i < usable; i++) {
            groupOrder[i] = i;
        }
        this.groupCursor = usable;
        this.memberOrder = new int[usable][];
        this.memberCursor = new int[usable];
        for (int i = 0; i < usable; i++) {
            memberOrder[i] = this.members[i].clone();
            memberCursor[i] = memberOrder[i].length;
        }
        this.p = Math.min(groupsPerBatch, usable);
        this.k = perGroup;
        this.rng = rng;
        this.chosen = new int[p];
    }

    int capacity() {
        return p * k;
    }

    /** Fills {@code out} with the next batch's item indices; returns how many. */
    int next(int[] out) {
        int n = 0;
        for (int i = 0; i < p; i++) {
            chosen[i] = nextGroup(i);
        }
        for (int i = 0; i < p; i++) {
            int g = chosen[i];
            int take = Math.min(k, memberOrder[g].length);
            if (memberOrder[g].length - memberCursor[g] < take) {
                // A fresh deck rather than the old one's tail plus the new one's head, which could
                // put one item in the batch twice.
                rng.shuffle(memberOrder[g]);
                memberCursor[g] = 0;
            }
            for (int t = 0; t < take; t++) {
                out[n++] = memberOrder[g][memberCursor[g]++];
            }
        }
        return n;
    }

    /** The next group from the shuffled deck that is not already in this batch. */
    private int nextGroup(int count) {
        while (true) {
            if (groupCursor == groupOrder.length) {
                rng.shuffle(groupOrder);
                groupCursor = 0;
            }
            int g = groupOrder[groupCursor++];
            boolean taken = false;
            for (int i = 0; i < count; i++) {
                taken |= chosen[i] == g;
            }
            if (!taken) {
                return g;
            }
        }
    }
}
