package dev.viewfold.bench;

import dev.viewfold.aggregate.Fold;
import dev.viewfold.aggregate.FoldStrategy;
import dev.viewfold.aggregate.GeneralizedMaxPoolingStrategy;
import dev.viewfold.aggregate.KMeansStrategy;
import dev.viewfold.aggregate.MaxStrategy;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.aggregate.View;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.groups.ViewWhitening;
import dev.viewfold.math.Vectors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Does folding views help retrieval, and does robust folding survive views of other objects?
 * Per object a gallery of v random views is folded into one vector (per strategy); held-out single
 * views are the queries; recall@1 and mAP (one relevant observation per query, so AP = 1/rank)
 * of query → observation. Beside them: the single-view gallery and the no-aggregation baseline
 * (every gallery view indexed, an object scores its best view). Contamination replaces 10% or 25%
 * of each gallery's views with views of other objects; outlier flags are scored against them.
 * Every figure is the mean ± standard deviation over seeds.
 *
 * <p>The "whitened" rows repeat best view, mean and robust after a {@link ViewWhitening} head fitted
 * on the gallery views robust kept (never on a query): what {@code train --head whiten} does to a
 * catalogue. "held-out objects" fits on the even-numbered objects only and scores the queries of
 * the odd ones: does the head help observations it never saw?
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=AggregateBench [-Dbench.args="&lt;seeds&gt; &lt;k&gt; &lt;floor&gt;"]</pre>
 */
public final class AggregateBench {

    record Gallery(List<List<View>> views, List<boolean[]> injected) {
    }

    record Score(double recall1, double map, double flagPrecision, double flagRecall) {
    }

    /** Rows of the paired table: each strategy against best view, seed by seed, on clean galleries. */
    static final List<String> PAIRED = new ArrayList<>();
    /** The same for the whitened folds, against best view in the whitened space. */
    static final List<String> PAIRED_WHITENED = new ArrayList<>();
    static final String BEST = "no aggregation (best view)";
    static final String WHITENED = ", whitened";

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double k = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        double floor = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
        List<FoldStrategy> strategies = List.of(new MeanStrategy(), new MaxStrategy(), new RobustStrategy(k, floor),
                new KMeansStrategy(), new GeneralizedMaxPoolingStrategy());
        System.out.printf(Locale.ROOT, "AggregateBench: MobileNetV2-int8 embeddings, %d seeds, robust k=%.1f floor=%.2f,"
                + " whitening shrink %.1f%n%n", seeds, k, floor, ViewWhitening.DEFAULT_SHRINK);
        System.out.println("| dataset | views v | contamination | strategy | recall@1 | mAP | flag precision | flag recall |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        run("coil100", Embeddings.of(shared, "coil100"), new int[] {1, 4, 8, 16}, 16, seeds, strategies);
        run("orl_faces", Embeddings.of(shared, "orl_faces"), new int[] {1, 4, 8}, 8, seeds, strategies);
        System.out.println();
        System.out.println("Clean galleries, paired by seed: recall@1 of each strategy minus best view's, in points");
        System.out.println("(mean ± sd of the per-seed differences; the share of seeds where the fold is not behind).");
        System.out.println();
        System.out.println("| dataset | views v | strategy | recall@1 − best view | seeds not behind |");
        System.out.println("|---|---|---|---|---|");
        PAIRED.forEach(System.out::println);
        System.out.println();
        System.out.println("Whitened folds against best view in the whitened space, paired the same way.");
        System.out.println();
        System.out.println("| dataset | views v | strategy | recall@1 − whitened best view | seeds not behind |");
        System.out.println("|---|---|---|---|---|");
        PAIRED_WHITENED.forEach(System.out::println);
    }

    static void run(String name, Map<String, List<Embeddings.Item>> data, int[] sizes, int maxGallery, int seeds,
                    List<FoldStrategy> strategies) {
        List<String> objects = new ArrayList<>(data.keySet());
        for (int v : sizes) {
            for (double contamination : v >= 8 ? new double[] {0, 0.10, 0.25} : new double[] {0}) {
                Map<String, List<Score>> scores = new LinkedHashMap<>();
                for (int seed = 1; seed <= seeds; seed++) {
                    Random random = new Random(seed * 1000L + v);
                    List<List<Embeddings.Item>> shuffled = new ArrayList<>();
                    List<float[]> queries = new ArrayList<>();
                    List<Integer> truth = new ArrayList<>();
                    for (int o = 0; o < objects.size(); o++) {
                        List<Embeddings.Item> views = new ArrayList<>(data.get(objects.get(o)));
                        Collections.shuffle(views, random);
                        shuffled.add(views);
                        for (Embeddings.Item q : views.subList(maxGallery, views.size())) {
                            queries.add(q.vector());
                            truth.add(o);
                        }
                    }
                    Gallery g = gallery(shuffled, v, maxGallery, contamination, random);
                    if (v == 1 && contamination == 0) {
                        scores.computeIfAbsent("single view", s -> new ArrayList<>())
                                .add(folded(new MeanStrategy(), g, queries, truth));
                        continue;
                    }
                    scores.computeIfAbsent(BEST, s -> new ArrayList<>()).add(bestView(g, queries, truth));
                    for (FoldStrategy s : strategies) {
                        scores.computeIfAbsent(s.name(), x -> new ArrayList<>()).add(folded(s, g, queries, truth));
                    }
                    whitened(g, queries, truth, robust(strategies), scores, v == 8 && contamination == 0);
                }
                List<Score> best = scores.get(BEST);
                List<Score> bestWhitened = scores.get(BEST + WHITENED);
                if (contamination == 0 && best != null) {
                    scores.forEach((strategy, list) -> {
                        if (list != best && !strategy.startsWith("held-out")) {
                            PAIRED.add(paired(name, v, strategy, list, best));
                        }
                        if (strategy.endsWith(WHITENED) && !strategy.startsWith("held-out") && list != bestWhitened) {
                            PAIRED_WHITENED.add(paired(name, v, strategy, list, bestWhitened));
                        }
                    });
                }
                scores.forEach((strategy, list) -> System.out.printf(Locale.ROOT, "| %s | %d | %.0f%% | %s | %s | %s | %s | %s |%n",
                        name, v, contamination * 100, strategy,
                        spread(list, Score::recall1), spread(list, Score::map),
                        flags(strategy, contamination) ? spread(list, Score::flagPrecision) : "–",
                        flags(strategy, contamination) ? spread(list, Score::flagRecall) : "–"));
            }
        }
    }

    static FoldStrategy robust(List<FoldStrategy> strategies) {
        return strategies.stream().filter(s -> s.name().equals("robust")).findFirst().orElseThrow();
    }

    /**
     * Best view, mean and robust again after whitening fitted on the views robust keeps in each
     * gallery; with {@code heldOut}, also mean and best view for the odd objects' queries under a
     * head fitted on the even objects alone.
     */
    static void whitened(Gallery g, List<float[]> queries, List<Integer> truth, FoldStrategy robust,
                         Map<String, List<Score>> scores, boolean heldOut) {
        List<float[][]> kept = new ArrayList<>();
        List<float[][]> keptEven = new ArrayList<>();
        for (int o = 0; o < g.views().size(); o++) {
            List<View> views = g.views().get(o);
            boolean[] outlier = robust.fold(views).outlier();
            List<float[]> inliers = new ArrayList<>();
            for (int i = 0; i < views.size(); i++) {
                if (!outlier[i]) {
                    inliers.add(views.get(i).vector());
                }
            }
            kept.add(inliers.toArray(float[][]::new));
            if (o % 2 == 0) {
                keptEven.add(kept.get(o));
            }
        }
        ProjectionHead head = ViewWhitening.fit(kept, ViewWhitening.DEFAULT_SHRINK);
        Gallery w = project(g, head);
        List<float[]> q = queries.stream().map(head::project).toList();
        scores.computeIfAbsent(BEST + WHITENED, s -> new ArrayList<>()).add(bestView(w, q, truth));
        for (FoldStrategy s : List.of(new MeanStrategy(), robust)) {
            scores.computeIfAbsent(s.name() + WHITENED, x -> new ArrayList<>()).add(folded(s, w, q, truth));
        }
        if (heldOut) {
            List<Integer> odd = new ArrayList<>();
            for (int i = 0; i < truth.size(); i++) {
                if (truth.get(i) % 2 == 1) {
                    odd.add(i);
                }
            }
            List<float[]> oddQueries = odd.stream().map(queries::get).toList();
            List<Integer> oddTruth = odd.stream().map(truth::get).toList();
            ProjectionHead evenHead = ViewWhitening.fit(keptEven, ViewWhitening.DEFAULT_SHRINK);
            Gallery we = project(g, evenHead);
            List<float[]> qe = oddQueries.stream().map(evenHead::project).toList();
            scores.computeIfAbsent("held-out objects: best view", s -> new ArrayList<>())
                    .add(bestView(g, oddQueries, oddTruth));
            scores.computeIfAbsent("held-out objects: mean", s -> new ArrayList<>())
                    .add(folded(new MeanStrategy(), g, oddQueries, oddTruth));
            scores.computeIfAbsent("held-out objects: mean" + WHITENED, s -> new ArrayList<>())
                    .add(folded(new MeanStrategy(), we, qe, oddTruth));
        }
    }

    static Gallery project(Gallery g, ProjectionHead head) {
        List<List<View>> views = new ArrayList<>();
        for (List<View> list : g.views()) {
            views.add(list.stream().map(v -> new View(v.imageId(), v.viewId(), head.project(v.vector()))).toList());
        }
        return new Gallery(views, g.injected());
    }

    static String paired(String dataset, int v, String strategy, List<Score> fold, List<Score> best) {
        double[] d = new double[fold.size()];
        int notBehind = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = 100 * (fold.get(i).recall1() - best.get(i).recall1());
            notBehind += d[i] >= 0 ? 1 : 0;
        }
        double mean = java.util.Arrays.stream(d).average().orElse(0);
        double sd = Math.sqrt(java.util.Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, d.length - 1));
        return String.format(Locale.ROOT, "| %s | %d | %s | %+.2f ± %.2f | %d of %d |", dataset, v, strategy, mean, sd,
                notBehind, d.length);
    }

    static boolean flags(String strategy, double contamination) {
        return contamination > 0 && (strategy.startsWith("robust") || strategy.equals("kmeans"));
    }

    /** v views per object from its shuffled non-query views, a share of them swapped for other objects' views. */
    static Gallery gallery(List<List<Embeddings.Item>> shuffled, int v, int maxGallery, double contamination,
                           Random random) {
        List<List<View>> views = new ArrayList<>();
        List<boolean[]> injected = new ArrayList<>();
        int foreign = (int) Math.round(contamination * v);
        for (int o = 0; o < shuffled.size(); o++) {
            List<View> g = new ArrayList<>();
            boolean[] inj = new boolean[v];
            for (int i = 0; i < v; i++) {
                Embeddings.Item item = shuffled.get(o).get(i);
                if (i >= v - foreign) {
                    int other;
                    do {
                        other = random.nextInt(shuffled.size());
                    } while (other == o);
                    item = shuffled.get(other).get(random.nextInt(maxGallery));
                    inj[i] = true;
                }
                g.add(new View(item.observationId() + "/" + i, Integer.toString(i), item.vector()));
            }
            views.add(g);
            injected.add(inj);
        }
        return new Gallery(views, injected);
    }

    static Score folded(FoldStrategy s, Gallery g, List<float[]> queries, List<Integer> truth) {
        List<float[]> index = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int o = 0; o < g.views().size(); o++) {
            Fold f = s.fold(g.views().get(o));
            index.add(f.vector());
            for (int i = 0; i < f.outlier().length; i++) {
                boolean inj = g.injected().get(o)[i];
                tp += f.outlier()[i] && inj ? 1 : 0;
                fp += f.outlier()[i] && !inj ? 1 : 0;
                fn += !f.outlier()[i] && inj ? 1 : 0;
            }
        }
        double[] rm = rank(queries, truth, index.size(), (q, o) -> Vectors.dot(q, index.get(o)));
        return new Score(rm[0], rm[1], tp + fp == 0 ? 1 : (double) tp / (tp + fp), tp + fn == 0 ? 1 : (double) tp / (tp + fn));
    }

    static Score bestView(Gallery g, List<float[]> queries, List<Integer> truth) {
        double[] rm = rank(queries, truth, g.views().size(), (q, o) -> {
            double best = -2;
            for (View v : g.views().get(o)) {
                best = Math.max(best, Vectors.dot(q, v.vector()));
            }
            return best;
        });
        return new Score(rm[0], rm[1], 0, 0);
    }

    interface Similarity {
        double of(float[] query, int object);
    }

    /** recall@1 and mean reciprocal rank of the true object. */
    static double[] rank(List<float[]> queries, List<Integer> truth, int objects, Similarity sim) {
        double hits = 0;
        double ap = 0;
        for (int q = 0; q < queries.size(); q++) {
            double[] s = new double[objects];
            for (int o = 0; o < objects; o++) {
                s[o] = sim.of(queries.get(q), o);
            }
            double mine = s[truth.get(q)];
            int rank = 1;
            for (int o = 0; o < objects; o++) {
                if (o != truth.get(q) && s[o] >= mine) {
                    rank++;
                }
            }
            hits += rank == 1 ? 1 : 0;
            ap += 1.0 / rank;
        }
        return new double[] {hits / queries.size(), ap / queries.size()};
    }

    static String spread(List<Score> scores, java.util.function.ToDoubleFunction<Score> f) {
        double mean = scores.stream().mapToDouble(f).average().orElse(0);
        double var = scores.stream().mapToDouble(s -> Math.pow(f.applyAsDouble(s) - mean, 2)).sum()
                / Math.max(1, scores.size() - 1);
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean, Math.sqrt(var));
    }
}
