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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Does folding views help retrieval, does robust folding cost nothing on clean observations, and
 * does it find the views filed under the wrong observation and say where they belong? Per object a
 * gallery of v random views is folded into one vector (per strategy); the views no gallery uses are
 * the queries; recall@1 and mAP (one relevant observation per query, so AP = 1/rank) of query →
 * observation. Beside them: a single view, best view (every gallery view indexed, an object scores
 * its best one) and the oracle (the mean of each gallery's true views). Contamination files 10% or
 * 25% of each gallery's slots under other objects ({@link FoldTrial}); flags are scored against them,
 * and a flagged intruder's likely home against the object it shows.
 *
 * <p>{@code robust} folds as in a collection: each gallery on its own first (the stored folds), then
 * again weighing the rest through an exact scan of those folds and views; {@code robust, own views
 * only} is the first pass. The "whitened" rows repeat best view, mean, robust and the oracle after a
 * {@link ViewWhitening} head fitted on the gallery views robust kept (never on a query), as
 * {@code train --head whiten} does; "held-out objects" fits it on the even-numbered objects only
 * and scores the odd ones' queries. Every figure is the mean ± standard deviation over seeds, and the
 * goals table pairs robust with its peer seed by seed.
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=AggregateBench -Dbench.args="seeds=1-10 datasets=coil100,orl_faces"</pre>
 * {@code views=8} runs one gallery size (the goals are at v = 8; default {@code 1,4,8,16}), and
 * {@code whiten=no} leaves out the whitened rows (a head fitted per seed and level: most of the time).
 * A dataset is a shared one by name or a folder with a {@code labels.csv} naming {@code observation_id}.
 */
public final class AggregateBench {

    /** One seed's scores of one strategy. */
    record Score(double recall1, double map, double flagPrecision, double flagRecall, double homeRight,
                 double cleanFlagged) {
        static Score of(double[] rank, double[] flags) {
            return flags == null ? new Score(rank[0], rank[1], Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                    : new Score(rank[0], rank[1], flags[0], flags[1], flags[2], flags[3]);
        }
    }

    static final String BEST = "no aggregation (best view)";
    static final String ORACLE = "oracle (true views' mean)";
    static final String ROBUST = "robust";
    static final String ROBUST_ALONE = "robust, own views only";
    static final String WHITENED = ", whitened";
    static final List<String> GOALS = new ArrayList<>();
    static final List<String> PAIRED = new ArrayList<>();
    /** Whether to add the whitened rows. */
    static boolean whiten = true;

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        Map<String, String> opts = new LinkedHashMap<>(Map.of("seeds", "1-10", "datasets", "coil100,orl_faces",
                "views", "1,4,8,16", "whiten", "yes"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !Set.of("seeds", "datasets", "views", "whiten").contains(kv[0])) {
                throw new IllegalArgumentException("arguments: seeds=<from>-<to> datasets=<name or folder>,..."
                        + " views=<v>,... whiten=yes|no; got " + a);
            }
            opts.put(kv[0], kv[1]);
        }
        String[] range = opts.get("seeds").split("-");
        int from = Integer.parseInt(range[0]);
        int to = Integer.parseInt(range[range.length - 1]);
        whiten = !opts.get("whiten").equals("no");
        List<Integer> views = Arrays.stream(opts.get("views").split(",")).map(Integer::parseInt).toList();
        RobustStrategy robust = new RobustStrategy(RobustStrategy.Settings.DEFAULT);
        var s = robust.settings();
        System.out.printf(Locale.ROOT, "AggregateBench: MobileNetV2-int8 embeddings, seeds %d-%d, robust k=%.1f floor=%.2f"
                        + " lookFrom=%.2f homeMargin=%.2f straySpreads=%.1f, whitening shrink %.1f%n%n", from, to,
                s.mads(), s.floor(), s.lookFrom(), s.homeMargin(), s.straySpreads(), ViewWhitening.DEFAULT_SHRINK);
        System.out.println("| dataset | views v | contamination | strategy | recall@1 | mAP | flag precision | flag recall"
                + " | likely home right | true views flagged |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String dataset : opts.get("datasets").split(",")) {
            var data = Embeddings.of(shared, dataset);
            String name = Path.of(dataset).getFileName().toString();
            // Strays that belong to nothing here: photos from another dataset.
            var strangers = Embeddings.of(shared, name.equals("coil100") ? "orl_faces" : "coil100");
            int maxGallery = FoldTrial.maxGallery(data);
            List<Integer> sizes = new ArrayList<>(views);
            sizes.removeIf(v -> v > maxGallery);
            for (int v : sizes) {
                run(name, data, v, maxGallery, from, to, robust);
            }
            if (maxGallery >= 8 && views.contains(8)) {
                strangers(name, data, strangers, maxGallery, from, to, robust);
            }
        }
        System.out.println();
        System.out.println("Paired by seed, in points of recall@1: each strategy against mean on clean galleries and"
                + " against the oracle under contamination (mean ± sd of the per-seed differences; seeds not behind).");
        System.out.println();
        System.out.println("| dataset | views v | contamination | strategy | against | difference | seeds not behind |");
        System.out.println("|---|---|---|---|---|---|---|");
        PAIRED.forEach(System.out::println);
        System.out.println();
        System.out.println("Goals (v = 8), robust beside its peer, paired by seed.");
        System.out.println();
        System.out.println("| dataset | space | goal | robust | peer | difference or figure | seeds meeting it | met |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        GOALS.forEach(System.out::println);
    }

    static void run(String name, Map<String, List<Embeddings.Item>> data, int v, int maxGallery, int from, int to,
                    RobustStrategy robust) {
        double[] levels = v >= 8 ? new double[] {0, 0.10, 0.25} : new double[] {0};
        List<FoldStrategy> others = List.of(new MeanStrategy(), new MaxStrategy(), new KMeansStrategy(),
                new GeneralizedMaxPoolingStrategy());
        for (double contamination : levels) {
            Map<String, List<Score>> scores = new LinkedHashMap<>();
            for (int seed = from; seed <= to; seed++) {
                FoldTrial t = FoldTrial.draw(data, v, maxGallery, contamination, seed);
                if (v == 1) {
                    scores.computeIfAbsent("single view", x -> new ArrayList<>())
                            .add(Score.of(t.rank(t.fold(new MeanStrategy())), null));
                    continue;
                }
                add(scores, BEST, Score.of(t.rankBestView(), null));
                for (FoldStrategy s : others) {
                    Fold[] f = t.fold(s);
                    add(scores, s.name(), Score.of(t.rank(f), s.name().equals("kmeans") ? t.flags(f) : null));
                }
                Fold[] alone = t.fold(robust);
                add(scores, ROBUST_ALONE, Score.of(t.rank(alone), t.flags(alone)));
                Fold[] inCollection = t.foldInCollection(robust);
                add(scores, ROBUST, Score.of(t.rank(inCollection), t.flags(inCollection)));
                if (contamination > 0) {
                    add(scores, ORACLE, Score.of(t.rank(t.oracle()), null));
                }
                if (whiten) {
                    whitened(t, inCollection, robust, scores, v == 8 && contamination == 0);
                }
            }
            report(name, v, contamination, scores);
        }
    }

    /** v = 8 with a quarter of each gallery replaced by photos of another dataset: no home is right for them. */
    static void strangers(String name, Map<String, List<Embeddings.Item>> data,
                          Map<String, List<Embeddings.Item>> strangers, int maxGallery, int from, int to,
                          RobustStrategy robust) {
        Map<String, List<Score>> scores = new LinkedHashMap<>();
        for (int seed = from; seed <= to; seed++) {
            FoldTrial t = FoldTrial.draw(data, 8, maxGallery, 0, seed).withStrangers(strangers, 0.25, seed);
            add(scores, "mean", Score.of(t.rank(t.fold(new MeanStrategy())), null));
            Fold[] alone = t.fold(robust);
            add(scores, ROBUST_ALONE, Score.of(t.rank(alone), t.flags(alone)));
            Fold[] inCollection = t.foldInCollection(robust);
            add(scores, ROBUST, Score.of(t.rank(inCollection), t.flags(inCollection)));
            add(scores, ORACLE, Score.of(t.rank(t.oracle()), null));
        }
        String pct = "25% strangers";
        scores.forEach((strategy, list) -> System.out.printf(Locale.ROOT, "| %s | 8 | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                name, pct, strategy, spread(list, Score::recall1), spread(list, Score::map),
                spread(list, Score::flagPrecision), spread(list, Score::flagRecall), spread(list, Score::homeRight),
                spread(list, Score::cleanFlagged)));
        double[] d = differences(scores.get(ROBUST), scores.get(ORACLE));
        PAIRED.add(String.format(Locale.ROOT, "| %s | 8 | %s | %s | %s | %+.2f ± %.2f | %d of %d |", name, pct, ROBUST,
                ORACLE, mean(d), sd(d), count(d, 0), d.length));
    }

    static void add(Map<String, List<Score>> scores, String strategy, Score s) {
        scores.computeIfAbsent(strategy, x -> new ArrayList<>()).add(s);
    }

    /**
     * Best view, mean, robust and the oracle after whitening fitted on the views robust keeps; with
     * {@code heldOut}, also best view and mean for the odd objects' queries under a head fitted on
     * the even objects alone.
     */
    static void whitened(FoldTrial t, Fold[] robustFolds, RobustStrategy robust, Map<String, List<Score>> scores,
                         boolean heldOut) {
        List<float[][]> kept = new ArrayList<>();
        List<float[][]> keptEven = new ArrayList<>();
        for (int o = 0; o < t.objects(); o++) {
            List<View> views = t.galleries().get(o);
            List<float[]> inliers = new ArrayList<>();
            for (int i = 0; i < views.size(); i++) {
                if (!robustFolds[o].outlier()[i]) {
                    inliers.add(views.get(i).vector());
                }
            }
            kept.add(inliers.toArray(float[][]::new));
            if (o % 2 == 0) {
                keptEven.add(kept.get(o));
            }
        }
        ProjectionHead head = ViewWhitening.fit(kept, ViewWhitening.DEFAULT_SHRINK);
        FoldTrial w = t.project(head);
        add(scores, BEST + WHITENED, Score.of(w.rankBestView(), null));
        add(scores, "mean" + WHITENED, Score.of(w.rank(w.fold(new MeanStrategy())), null));
        Fold[] r = w.foldInCollection(robust);
        add(scores, ROBUST + WHITENED, Score.of(w.rank(r), w.flags(r)));
        if (t.contaminated()) {
            add(scores, ORACLE + WHITENED, Score.of(w.rank(w.oracle()), null));
        }
        if (heldOut) {
            List<Integer> odd = new ArrayList<>();
            for (int i = 0; i < t.truth().size(); i++) {
                if (t.truth().get(i) % 2 == 1) {
                    odd.add(i);
                }
            }
            FoldTrial oddQueries = new FoldTrial(t.ids(), t.galleries(), t.owners(),
                    odd.stream().map(t.queries()::get).toList(), odd.stream().map(t.truth()::get).toList());
            ProjectionHead evenHead = ViewWhitening.fit(keptEven, ViewWhitening.DEFAULT_SHRINK);
            FoldTrial we = oddQueries.project(evenHead);
            add(scores, "held-out objects: best view", Score.of(oddQueries.rankBestView(), null));
            add(scores, "held-out objects: mean", Score.of(oddQueries.rank(oddQueries.fold(new MeanStrategy())), null));
            add(scores, "held-out objects: mean" + WHITENED, Score.of(we.rank(we.fold(new MeanStrategy())), null));
        }
    }

    static void report(String name, int v, double contamination, Map<String, List<Score>> scores) {
        String pct = String.format(Locale.ROOT, "%.0f%%", contamination * 100);
        scores.forEach((strategy, list) -> System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                name, v, pct, strategy, spread(list, Score::recall1), spread(list, Score::map),
                spread(list, Score::flagPrecision), spread(list, Score::flagRecall), spread(list, Score::homeRight),
                spread(list, Score::cleanFlagged)));
        if (v == 1) {
            return;
        }
        for (String space : List.of("", WHITENED)) {
            String peerName = contamination == 0 ? "mean" + space : ORACLE + space;
            List<Score> peer = scores.get(peerName);
            for (String strategy : List.of(ROBUST + space, ROBUST_ALONE + space, "gmp" + space, BEST + space)) {
                if (scores.containsKey(strategy) && peer != null) {
                    double[] d = differences(scores.get(strategy), peer);
                    PAIRED.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %+.2f ± %.2f | %d of %d |", name, v,
                            pct, strategy, peerName, mean(d), sd(d), count(d, 0), d.length));
                }
            }
        }
        if (v != 8) {
            return;
        }
        for (String space : whiten ? List.of("", WHITENED) : List.of("")) {
            List<Score> robust = scores.get(ROBUST + space);
            String where = space.isEmpty() ? "raw" : "whitened";
            if (contamination == 0) {
                List<Score> mean = scores.get("mean" + space);
                double[] d = differences(robust, mean);
                GOALS.add(goal(name, where, "clean: robust ≥ mean − 0.5 point", spread(robust, Score::recall1),
                        "mean " + spread(mean, Score::recall1), String.format(Locale.ROOT, "%+.2f ± %.2f", mean(d), sd(d)),
                        count(d, -0.5), d.length, mean(d) >= -0.5));
            } else if (contamination == 0.25) {
                List<Score> oracle = scores.get(ORACLE + space);
                double[] d = differences(robust, oracle);
                GOALS.add(goal(name, where, "25%: robust ≥ oracle − 1 point", spread(robust, Score::recall1),
                        "oracle " + spread(oracle, Score::recall1) + ", mean " + spread(scores.get("mean" + space),
                                Score::recall1), String.format(Locale.ROOT, "%+.2f ± %.2f", mean(d), sd(d)),
                        count(d, -1), d.length, mean(d) >= -1));
                figureGoal(name, where, "25%: flag precision ≥ 0.9", robust, Score::flagPrecision, 0.9);
                figureGoal(name, where, "25%: flag recall ≥ 0.8", robust, Score::flagRecall, 0.8);
                figureGoal(name, where, "25%: likely home right ≥ 0.8", robust, Score::homeRight, 0.8);
            }
        }
    }

    static void figureGoal(String name, String where, String goal, List<Score> robust,
                           java.util.function.ToDoubleFunction<Score> f, double bar) {
        double[] x = robust.stream().mapToDouble(f).toArray();
        GOALS.add(goal(name, where, goal, spread(robust, f), "–", spread(robust, f), count(x, bar), x.length,
                mean(x) >= bar));
    }

    static String goal(String name, String where, String goal, String robust, String peer, String figure, int seeds,
                       int of, boolean met) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d of %d | %s |", name, where, goal, robust,
                peer, figure, seeds, of, met ? "yes" : "**no**");
    }

    /** Per seed, in points of recall@1. */
    static double[] differences(List<Score> a, List<Score> b) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = 100 * (a.get(i).recall1() - b.get(i).recall1());
        }
        return d;
    }

    static int count(double[] x, double atLeast) {
        return (int) Arrays.stream(x).filter(v -> v >= atLeast - 1e-9).count();
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    static double sd(double[] x) {
        double m = mean(x);
        return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / Math.max(1, x.length - 1));
    }

    static String spread(List<Score> scores, java.util.function.ToDoubleFunction<Score> f) {
        double[] x = scores.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).toArray();
        return x.length == 0 ? "–" : String.format(Locale.ROOT, "%.3f ± %.3f", mean(x), sd(x));
    }
}
