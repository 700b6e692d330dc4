package dev.viewfold.cluster.hdbscan;

import dev.viewfold.math.UnionFind;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Minimum spanning tree of the mutual-reachability graph, {@code mrd(p, q) = max(core p, core q,
 * |p - q|)}, by Borůvka rounds over the KD-tree (after McInnes and Healy, "Accelerated
 * hierarchical density based clustering", 2017): each round finds, for every component, its
 * lightest edge to another component, and joins along those edges.
 *
 * <p>A point's search skips a subtree when every point in it already lies in the point's component,
 * or when the subtree cannot beat the component's best edge so far: {@code max(core p, smallest core
 * in the box, distance to the box)} is a lower bound of mrd to anything inside. A point whose lower
 * bound (kept from earlier rounds: its lightest outgoing edge only grows as components merge) exceeds
 * its component's best is not searched at all. Nothing is n×n: memory is a few arrays of length n.
 *
 * <p>Edges are ordered by (weight, smaller position, larger position), a total order, so ties
 * cannot form cycles and the tree is the same however the work is split between threads.
 */
final class BoruvkaMst {

    /** n - 1 edges: endpoints as input indices, weights as mutual-reachability distances. */
    record Edges(int[] a, int[] b, double[] weight) {
    }

    private final KdTree tree;
    private final double[] coreSq;
    private final int[] component;
    private final int[] nodeComponent;
    private final double[] nodeMinCoreSq;
    private final double[] pointBoundSq;
    private final UnionFind sets;

    private BoruvkaMst(KdTree tree, double[] coreSq) {
        this.tree = tree;
        this.coreSq = coreSq;
        this.component = new int[tree.n];
        this.nodeComponent = new int[tree.nodeCount];
        this.nodeMinCoreSq = new double[tree.nodeCount];
        this.pointBoundSq = coreSq.clone();
        this.sets = new UnionFind(tree.n);
    }

    /** The MST over the tree's points, given squared core distances in tree order. */
    static Edges of(KdTree tree, double[] coreSq) {
        return new BoruvkaMst(tree, coreSq).run();
    }

    private Edges run() {
        int n = tree.n;
        int[] ea = new int[Math.max(0, n - 1)];
        int[] eb = new int[Math.max(0, n - 1)];
        double[] ew = new double[Math.max(0, n - 1)];
        int edges = 0;
        computeNodeMinCore();
        int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
        Search[] searches = new Search[workers];
        for (int w = 0; w < workers; w++) {
            searches[w] = new Search(n);
        }
        while (edges < n - 1) {
            for (int i = 0; i < n; i++) {
                component[i] = sets.find(i);
            }
            computeNodeComponents();
            IntStream.range(0, workers).parallel().forEach(w -> searches[w].round(
                    (int) ((long) n * w / workers), (int) ((long) n * (w + 1) / workers)));
            // Merge the workers' bests per component, then join along them in component order.
            for (int c = 0; c < n; c++) {
                if (component[c] != c) {
                    continue;
                }
                double bw = Double.POSITIVE_INFINITY;
                int bf = -1;
                int bt = -1;
                for (Search s : searches) {
                    if (s.bestFrom[c] >= 0 && lighter(s.bestW[c], s.bestFrom[c], s.bestTo[c], bw, bf, bt)) {
                        bw = s.bestW[c];
                        bf = s.bestFrom[c];
                        bt = s.bestTo[c];
                    }
                }
                if (bf < 0) {
                    throw new IllegalStateException("Borůvka round found no edge for component " + c);
                }
                if (sets.union(bf, bt)) {
                    ea[edges] = tree.original[bf];
                    eb[edges] = tree.original[bt];
                    ew[edges] = Math.sqrt(bw);
                    edges++;
                }
            }
            for (Search s : searches) {
                s.reset();
            }
        }
        return new Edges(ea, eb, ew);
    }

    /** Total order on edges: weight, then the smaller endpoint, then the larger. */
    static boolean lighter(double w, int a, int b, double bw, int ba, int bb) {
        if (w != bw) {
            return w < bw;
        }
        if (ba < 0) {
            return true;
        }
        int lo = Math.min(a, b);
        int blo = Math.min(ba, bb);
        if (lo != blo) {
            return lo < blo;
        }
        return Math.max(a, b) < Math.max(ba, bb);
    }

    private void computeNodeMinCore() {
        for (int node = tree.nodeCount - 1; node >= 0; node--) {
            if (tree.isLeaf(node)) {
                double m = Double.POSITIVE_INFINITY;
                for (int i = tree.start[node]; i < tree.end[node]; i++) {
                    m = Math.min(m, coreSq[i]);
                }
                nodeMinCoreSq[node] = m;
            } else {
                nodeMinCoreSq[node] = Math.min(nodeMinCoreSq[tree.left[node]], nodeMinCoreSq[tree.right[node]]);
            }
        }
    }

    /** Children have larger pre-order numbers than parents, so one backwards pass suffices. */
    private void computeNodeComponents() {
        for (int node = tree.nodeCount - 1; node >= 0; node--) {
            if (tree.isLeaf(node)) {
                int c = component[tree.start[node]];
                for (int i = tree.start[node] + 1; i < tree.end[node] && c >= 0; i++) {
                    if (component[i] != c) {
                        c = -1;
                    }
                }
                nodeComponent[node] = c;
            } else {
                int l = nodeComponent[tree.left[node]];
                nodeComponent[node] = l >= 0 && l == nodeComponent[tree.right[node]] ? l : -1;
            }
        }
    }

    /** One worker's state: the best edge found so far for each component it has seen. */
    private final class Search {
        final double[] bestW;
        final int[] bestFrom;
        final int[] bestTo;
        private final int[] touched;
        private int touchedCount;
        private final int[] firstPoint;
        private double pointBestSq;

        Search(int n) {
            bestW = new double[n];
            bestFrom = new int[n];
            bestTo = new int[n];
            touched = new int[n];
            firstPoint = new int[n];
            Arrays.fill(bestW, Double.POSITIVE_INFINITY);
            Arrays.fill(bestFrom, -1);
            Arrays.fill(bestTo, -1);
            Arrays.fill(firstPoint, -1);
        }

        void reset() {
            for (int t = 0; t < touchedCount; t++) {
                int c = touched[t];
                bestW[c] = Double.POSITIVE_INFINITY;
                bestFrom[c] = -1;
                bestTo[c] = -1;
                firstPoint[c] = -1;
            }
            touchedCount = 0;
        }

        void round(int from, int to) {
            // Pass 1: per component, search from the point with the smallest lower bound first; its
            // edge is usually the component's lightest, which then prunes the other points.
            for (int i = from; i < to; i++) {
                int c = component[i];
                int f = firstPoint[c];
                if (f < 0) {
                    touched[touchedCount++] = c;
                    firstPoint[c] = i;
                } else if (pointBoundSq[i] < pointBoundSq[f]) {
                    firstPoint[c] = i;
                }
            }
            for (int t = 0; t < touchedCount; t++) {
                searchFrom(firstPoint[touched[t]]);
            }
            // Pass 2: the rest, skipping points that cannot beat their component's best.
            for (int i = from; i < to; i++) {
                int c = component[i];
                if (i != firstPoint[c] && pointBoundSq[i] <= bestW[c]) {
                    searchFrom(i);
                }
            }
        }

        private void searchFrom(int i) {
            int c = component[i];
            pointBestSq = Double.POSITIVE_INFINITY;
            search(0, i, c, tree.boxDistanceSq(i, 0));
            // Every candidate of weight <= the final best was examined, so the lightest examined
            // edge is exact when it is within that best; otherwise the best itself bounds it below.
            pointBoundSq[i] = Math.max(pointBoundSq[i], Math.min(pointBestSq, bestW[c]));
        }

        /** boxSq: squared distance from point i to the node's box, computed once by the caller. */
        private void search(int node, int i, int c, double boxSq) {
            if (nodeComponent[node] == c) {
                return;
            }
            double core = coreSq[i];
            double bound = Math.max(core, Math.max(nodeMinCoreSq[node], boxSq));
            if (bound > bestW[c]) {
                return;
            }
            if (tree.isLeaf(node)) {
                for (int j = tree.start[node], e = tree.end[node]; j < e; j++) {
                    if (component[j] == c || coreSq[j] > bestW[c]) {
                        continue;
                    }
                    double w = Math.max(core, Math.max(coreSq[j], tree.distanceSq(i, j)));
                    if (w < pointBestSq) {
                        pointBestSq = w;
                    }
                    if (lighter(w, i, j, bestW[c], bestFrom[c], bestTo[c])) {
                        bestW[c] = w;
                        bestFrom[c] = i;
                        bestTo[c] = j;
                    }
                }
                return;
            }
            int a = tree.left[node];
            int b = tree.right[node];
            double da = tree.boxDistanceSq(i, a);
            double db = tree.boxDistanceSq(i, b);
            if (db < da) {
                search(b, i, c, db);
                search(a, i, c, da);
            } else {
                search(a, i, c, da);
                search(b, i, c, db);
            }
        }
    }
}
