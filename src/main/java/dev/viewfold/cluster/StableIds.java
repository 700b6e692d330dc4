package dev.viewfold.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a run's cluster numbers into lasting cluster ids by matching each new cluster to the previous
 * cluster it shares the most members with.
 *
 * <p>Pairs (new cluster, previous id) are taken greedily by the number of observations they share,
 * largest first; a pair is accepted when both are still free and the shared members are a majority
 * of either side (of the new cluster's previously clustered members, or of the previous cluster's
 * members still present). A new cluster left unmatched is a birth and gets the next unused id; a
 * previous id left unmatched is a death. So an unchanged input keeps every id, a cluster that grows
 * or shrinks keeps its id, the larger part of a split keeps it, and a merge keeps the id of the
 * cluster that contributed most. Ties break by id, so the result never depends on hash order.
 */
public final class StableIds {

    /** A flow from a previous cluster carrying at least this share of it is a large share. */
    static final double LARGE_SHARE = 0.2;

    private StableIds() {
    }

    /**
     * @param previous    per observation: its previous cluster id, {@link #NOISE_BEFORE} if it was
     *                    noise, or null if it was never placed
     * @param labels      per observation (same order): this run's cluster number, or -1 for noise
     * @param nextNumber  the number the next new id gets ({@code c<number>}): ids are never reused
     */
    public static Assignment assign(String[] previous, int[] labels, long nextNumber) {
        if (previous.length != labels.length) {
            throw new IllegalArgumentException(previous.length + " previous placements for " + labels.length + " labels");
        }
        int clusters = 0;
        for (int label : labels) {
            clusters = Math.max(clusters, label + 1);
        }
        // Shared members of (new cluster, previous id), and each side's size among present observations.
        List<Map<String, Integer>> shared = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            shared.add(new TreeMap<>());
        }
        int[] previouslyClustered = new int[clusters];
        Map<String, Integer> previousSize = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            String old = clusterOf(previous[i]);
            if (old != null) {
                previousSize.merge(old, 1, Integer::sum);
                if (labels[i] >= 0) {
                    shared.get(labels[i]).merge(old, 1, Integer::sum);
                    previouslyClustered[labels[i]]++;
                }
            }
        }
        record Pair(int cluster, String old, int count) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            for (Map.Entry<String, Integer> e : shared.get(c).entrySet()) {
                pairs.add(new Pair(c, e.getKey(), e.getValue()));
            }
        }
        pairs.sort(Comparator.comparingInt(Pair::count).reversed()
                .thenComparing(Pair::old, StableIds::compareIds).thenComparingInt(Pair::cluster));
        String[] idOf = new String[clusters];
        Map<String, Integer> taken = new HashMap<>();
        for (Pair p : pairs) {
            boolean majority = 2 * p.count() > previouslyClustered[p.cluster()]
                    || 2 * p.count() > previousSize.get(p.old());
            if (idOf[p.cluster()] == null && !taken.containsKey(p.old()) && majority) {
                idOf[p.cluster()] = p.old();
                taken.put(p.old(), p.cluster());
            }
        }
        List<String> births = new ArrayList<>();
        long next = nextNumber;
        for (int c = 0; c < clusters; c++) {
            if (idOf[c] == null) {
                idOf[c] = "c" + next++;
                births.add(idOf[c]);
            }
        }
        List<String> deaths = new ArrayList<>();
        for (String old : previousSize.keySet()) {
            if (!taken.containsKey(old)) {
                deaths.add(old);
            }
        }
        deaths.sort(StableIds::compareIds);

        String[] ids = new String[labels.length];
        long kept = 0;
        long moved = 0;
        long intoNoise = 0;
        long outOfNoise = 0;
        long fresh = 0;
        for (int i = 0; i < labels.length; i++) {
            ids[i] = labels[i] >= 0 ? idOf[labels[i]] : null;
            if (previous[i] == null) {
                fresh++;
                continue;
            }
            String old = clusterOf(previous[i]);
            if (java.util.Objects.equals(old, ids[i])) {
                kept++;
            } else if (old == null) {
                outOfNoise++;
            } else if (ids[i] == null) {
                intoNoise++;
            } else {
                moved++;
            }
        }
        // Splits and merges: flows carrying a large share of a previous cluster.
        Map<String, TreeSet<String>> splitInto = new TreeMap<>(StableIds::compareIds);
        Map<String, TreeSet<String>> mergedFrom = new TreeMap<>(StableIds::compareIds);
        for (Pair p : pairs) {
            if (p.count() >= 2 && p.count() >= LARGE_SHARE * previousSize.get(p.old())) {
                splitInto.computeIfAbsent(p.old(), k -> new TreeSet<>(StableIds::compareIds)).add(idOf[p.cluster()]);
                mergedFrom.computeIfAbsent(idOf[p.cluster()], k -> new TreeSet<>(StableIds::compareIds)).add(p.old());
            }
        }
        List<ClusterChanges.Split> splits = new ArrayList<>();
        splitInto.forEach((from, into) -> {
            if (into.size() > 1) {
                splits.add(new ClusterChanges.Split(from, List.copyOf(into)));
            }
        });
        List<ClusterChanges.Merge> merges = new ArrayList<>();
        mergedFrom.forEach((into, from) -> {
            if (from.size() > 1) {
                merges.add(new ClusterChanges.Merge(List.copyOf(from), into));
            }
        });
        return new Assignment(ids, idOf,
                new ClusterChanges(kept, moved, intoNoise, outOfNoise, fresh, births, deaths, splits, merges), next);
    }

    /** Marks an observation that the previous run placed as noise (as opposed to never placed). */
    public static final String NOISE_BEFORE = "";

    private static String clusterOf(String previous) {
        return previous == null || previous.isEmpty() ? null : previous;
    }

    /** {@code c2} before {@code c10}: by number where both are {@code c<number>}, else as text. */
    static int compareIds(String a, String b) {
        long na = number(a);
        long nb = number(b);
        if (na >= 0 && nb >= 0 && na != nb) {
            return Long.compare(na, nb);
        }
        return a.compareTo(b);
    }

    /** The number of an id {@code c<number>}, or -1. */
    public static long number(String id) {
        if (id == null || id.length() < 2 || id.charAt(0) != 'c') {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param ids           per observation: its cluster id, or null for noise
     * @param idOfCluster   per run-local cluster number: its id
     * @param nextNumber    what the next run's first new id gets
     */
    public record Assignment(String[] ids, String[] idOfCluster, ClusterChanges changes, long nextNumber) {
    }
}
