package dev.viewfold.groups;

import dev.viewfold.math.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which labelled rows to hold out from fitting so that a figure measured on them is honest: a
 * share of each group's rows (rounded, at least one, never all), chosen by a seeded shuffle of the
 * group in row order; groups of one keep their row. A row of several groups is held out when any of
 * them picks it. Heads and classifiers use the same split, so that in a head's space the rows a
 * classifier is checked on were never trained on by the head either.
 */
public final class HeldOutSplit {

    static final long STREAM = 0xCA11BL;

    private HeldOutSplit() {
    }

    /** {@code fraction} in (0, 1). */
    public static boolean[] of(List<Labelled> data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the held-out fraction must be in (0, 1), not " + fraction);
        }
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            for (String l : data.get(i).labels()) {
                members.computeIfAbsent(l, x -> new ArrayList<>()).add(i);
            }
        }
        boolean[] held = new boolean[data.size()];
        Rng rng = Rng.of(seed, STREAM);
        for (List<Integer> m : members.values()) {
            if (m.size() < 2) {
                continue;
            }
            int count = (int) Math.max(1, Math.min(m.size() - 1, Math.round(fraction * m.size())));
            int[] order = m.stream().mapToInt(Integer::intValue).toArray();
            rng.shuffle(order);
            for (int i = 0; i < count; i++) {
                held[order[i]] = true;
            }
        }
        return held;
    }
}
