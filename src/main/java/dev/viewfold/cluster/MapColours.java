package dev.viewfold.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Colours for a map's clusters such that clusters drawn near each other never share one: what the
 * eye sees as two groups is not painted as one. Greedy in cluster-id order (old clusters first, so
 * they tend to keep their colour from run to run): each takes the first palette colour none of its
 * neighbours on the map has. Noise is drawn grey by the pages, so the palette has no grey.
 */
public final class MapColours {

    /** Twenty colours far apart for the eye (Tableau 10 without its grey, and ten more). */
    static final List<String> PALETTE = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#17becf", "#bcbd22", "#393b79", "#e7ba52", "#637939", "#ad494a", "#7b4173", "#3182bd",
            "#31a354", "#fd8d3c", "#756bb1", "#843c39", "#00a087");
    /** Clusters within this many of their combined spreads of each other count as neighbours. */
    private static final double NEAR = 3.0;
    /** Beyond the spread test, each cluster's nearest eight are always its neighbours. */
    private static final int NEAREST = 8;

    private MapColours() {
    }

    /** Cluster id → colour ({@code #rrggbb}), for every cluster among the points. */
    public static Map<String, String> of(List<MapPoint> points) {
        Map<String, double[]> sums = new LinkedHashMap<>(); // x, y, x², y², count
        for (MapPoint p : points) {
            if (p.clusterId() != null) {
                double[] s = sums.computeIfAbsent(p.clusterId(), k -> new double[5]);
                s[0] += p.x();
                s[1] += p.y();
                s[2] += (double) p.x() * p.x();
                s[3] += (double) p.y() * p.y();
                s[4]++;
            }
        }
        List<String> ids = new ArrayList<>(sums.keySet());
        ids.sort(StableIds::compareIds);
        int k = ids.size();
        double[][] centre = new double[k][2];
        double[] spread = new double[k];
        for (int c = 0; c < k; c++) {
            double[] s = sums.get(ids.get(c));
            centre[c][0] = s[0] / s[4];
            centre[c][1] = s[1] / s[4];
            double var = s[2] / s[4] - centre[c][0] * centre[c][0] + s[3] / s[4] - centre[c][1] * centre[c][1];
            spread[c] = Math.sqrt(Math.max(0, var));
        }
        // Neighbours both ways: one cluster among another's nearest is enough.
        List<java.util.Set<Integer>> near = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            near.add(new java.util.HashSet<>());
        }
        for (int c = 0; c < k; c++) {
            for (int o : neighbours(c, centre, spread)) {
                near.get(c).add(o);
                near.get(o).add(c);
            }
        }
        int[] colour = new int[k];
        Map<String, String> out = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            boolean[] taken = new boolean[PALETTE.size()];
            for (int o : near.get(c)) {
                if (o < c) {
                    taken[colour[o]] = true;
                }
            }
            int pick = 0;
            while (pick < taken.length - 1 && taken[pick]) {
                pick++;
            }
            colour[c] = taken[pick] ? c % PALETTE.size() : pick;
            out.put(ids.get(c), PALETTE.get(colour[c]));
        }
        return out;
    }

    private static List<Integer> neighbours(int c, double[][] centre, double[] spread) {
        List<Integer> others = new ArrayList<>();
        for (int o = 0; o < centre.length; o++) {
            if (o != c) {
                others.add(o);
            }
        }
        others.sort(Comparator.comparingDouble(o -> distance(centre[c], centre[o])));
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < others.size(); t++) {
            int o = others.get(t);
            if (t < NEAREST || distance(centre[c], centre[o]) < NEAR * (spread[c] + spread[o])) {
                out.add(o);
            }
        }
        return out;
    }

    private static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
}
