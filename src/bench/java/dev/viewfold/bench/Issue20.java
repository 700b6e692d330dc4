package dev.viewfold.bench;

import dev.viewfold.classify.Calibration;
import dev.viewfold.classify.ClassifierKind;
import dev.viewfold.classify.Classification;
import dev.viewfold.classify.FittedClassifier;
import dev.viewfold.classify.HeldOutCheck;
import dev.viewfold.classify.LinearClassifier;
import dev.viewfold.classify.LinearSettings;
import dev.viewfold.classify.Rejection;
import dev.viewfold.classify.linear.Features;
import dev.viewfold.classify.linear.LinearFit;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.groups.Labelled;
import dev.viewfold.groups.MetricTrainer;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.groups.TrainingSettings;
import dev.viewfold.math.Rng;
import dev.viewfold.search.Npy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Issue #20: Viewfold's classifiers against scikit-learn's {@code LogisticRegressionCV} (5-fold, 10
 * values of C) on the same vectors, the same split, in the same run.
 *
 * <p>Each dataset is split by seed: its groups are shuffled into known and never-labelled ones; each
 * known group's photos into training and test photos. Viewfold's classifiers are built from the
 * training photos exactly as {@code classify} builds them from a space's labelled rows (a quarter of
 * each group held out for their own check); the probe is fitted on the same training photos. Scored
 * on the known groups' test photos with "none" counted wrong; the never-labelled groups' photos say
 * how often they are answered "none".
 *
 * <p>Settings were chosen on the {@link #TUNING_SEEDS} ({@code linear-sweep}); the figures reported
 * come from the {@link #REPORT_SEEDS}, other splits of the same data.
 */
final class Issue20 {

    static final long[] TUNING_SEEDS = {101, 102, 103};
    static final long[] REPORT_SEEDS = {1, 2, 3, 4, 5};
    private static final Path WORK = Path.of("target/bench-data/groups");

    /** How a dataset is split: the share of its groups known, and of each known group's photos kept for the test. */
    private record Plan(String dataset, double knownGroups, double testShare, int perGroupCap) {
    }

    private static final List<Plan> PLANS = List.of(new Plan("caltech101", 0.5, 0.25, 0),
            new Plan("flowers12", 8 / 12.0, 0.25, 0), new Plan("orl_faces", 0.5, 0.3, 0),
            new Plan("fashion_mnist", 0.7, 0.5, 400));

    record Split(List<Labelled> train, List<Labelled> test, List<Labelled> unseen) {
    }

    /** One classifier's figures on one split. */
    record Figures(double top, double accuracy, double knownNone, double unseenNone, double seconds) {
    }

    private Issue20() {
    }

    static void run(List<String> args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        boolean sweep = args.contains("linear-sweep");
        List<Plan> plans = PLANS.stream().filter(p -> args.stream().noneMatch(a -> PLANS.stream()
                .anyMatch(q -> q.dataset().equals(a))) || args.contains(p.dataset())).toList();
        Map<String, List<Labelled>> data = new LinkedHashMap<>();
        for (Plan p : plans) {
            data.put(p.dataset(), p.dataset().equals("fashion_mnist") ? fashion(shared) : images(shared, p.dataset()));
        }
        if (sweep) {
            sweep(plans, data, true, true);
        } else if (args.contains("rejection-sweep")) {
            sweep(plans, data, false, true);
        } else {
            report(plans, data);
        }
    }

    // ---------------------------------------------------------------------------------------------- report

    private static void report(List<Plan> plans, Map<String, List<Labelled>> data) throws Exception {
        LinearSettings chosen = LinearSettings.defaults(42);
        Map<String, Map<String, List<Figures>>> all = new LinkedHashMap<>();
        for (Plan plan : plans) {
            Map<String, List<Figures>> rows = new LinkedHashMap<>();
            all.put(plan.dataset(), rows);
            for (long seed : REPORT_SEEDS) {
                Split split = split(plan, data.get(plan.dataset()), seed);
                System.err.printf("%s seed %d: %d train / %d test photos of known groups, %d of never-labelled%n",
                        plan.dataset(), seed, split.train.size(), split.test.size(), split.unseen.size());
                LinearSettings s = chosen.withFit(chosen.fit().withSeed(seed));
                add(rows, "Viewfold prototype", measure(split, l -> Calibration.calibrate(l, ClassifierKind.PROTOTYPE, 1,
                        0.25, seed)));
                add(rows, "Viewfold knn k=10", measure(split, l -> Calibration.calibrate(l, ClassifierKind.KNN, 10,
                        0.25, seed)));
                LinearClassifier[] fitted = new LinearClassifier[1];
                add(rows, "Viewfold linear (default)", measure(split, l -> fitted[0] = linear(l, s, seed)));
                add(rows, "Viewfold linear, rejection off", measure(split, l -> fitted[0].withRejection(Rejection.NEVER)));
                ProjectionHead head = MetricTrainer.train(split.train, TrainingSettings.defaults().withSeed(seed),
                        e -> { }).head();
                Split projected = new Split(GroupsBench.project(split.train, head), GroupsBench.project(split.test, head),
                        GroupsBench.project(split.unseen, head));
                add(rows, "Viewfold knn k=10, default head's space", measure(projected,
                        l -> Calibration.calibrate(l, ClassifierKind.KNN, 10, 0.25, seed)));
                add(rows, "Viewfold linear, default head's space", measure(projected, l -> fitted[0] = linear(l, s, seed)));
                add(rows, "Viewfold linear, default head's space, rejection off", measure(projected,
                        l -> fitted[0].withRejection(Rejection.NEVER)));
                for (Map.Entry<String, Double[]> e : probe(plan.dataset() + "-" + seed, split).entrySet()) {
                    add(rows, "scikit-learn " + e.getKey(), new Figures(e.getValue()[0], e.getValue()[0], Double.NaN,
                            Double.NaN, e.getValue()[1]));
                }
            }
        }
        System.out.println();
        System.out.println("Known groups' test photos, accuracy with \"none\" counted wrong (top-1 where the classifier"
                + " never says none); mean ± sd over seeds " + java.util.Arrays.toString(REPORT_SEEDS) + ":");
        System.out.println("| dataset | classifier | accuracy | top-1 | known → none | never-labelled → none | seconds |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (var d : all.entrySet()) {
            for (var r : d.getValue().entrySet()) {
                List<Figures> f = r.getValue();
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1f |%n", d.getKey(), r.getKey(),
                        ms(f, Figures::accuracy), ms(f, Figures::top), ms(f, Figures::knownNone),
                        ms(f, Figures::unseenNone), f.stream().mapToDouble(Figures::seconds).average().orElse(0));
            }
        }
        System.out.println();
        System.out.println("Goal: the best Viewfold classifier ≥ the tuned probe on every dataset, \"none\" counted wrong"
                + " (per seed, then the mean):");
        for (var d : all.entrySet()) {
            List<Figures> probe = d.getValue().get("scikit-learn logreg-cv");
            String best = null;
            double bestMean = -1;
            for (var r : d.getValue().entrySet()) {
                if (r.getKey().startsWith("Viewfold")) {
                    double m = mean(r.getValue(), Figures::accuracy);
                    if (m > bestMean) {
                        bestMean = m;
                        best = r.getKey();
                    }
                }
            }
            List<Figures> def = d.getValue().get("Viewfold linear (default)");
            int wins = 0;
            int defaultWins = 0;
            for (int i = 0; i < probe.size(); i++) {
                wins += d.getValue().get(best).get(i).accuracy() >= probe.get(i).accuracy() - 1e-9 ? 1 : 0;
                defaultWins += def.get(i).accuracy() >= probe.get(i).accuracy() - 1e-9 ? 1 : 0;
            }
            double p = mean(probe, Figures::accuracy);
            System.out.printf(Locale.ROOT, "%s: best %s %.4f vs LogisticRegressionCV %.4f: %s (≥ on %d of %d seeds);"
                            + " linear (default) %.4f: %s (≥ on %d of %d seeds)%n", d.getKey(), best, bestMean, p,
                    bestMean >= p - 1e-9 ? "MET" : "NOT MET", wins, probe.size(), mean(def, Figures::accuracy),
                    mean(def, Figures::accuracy) >= p - 1e-9 ? "MET" : "NOT MET", defaultWins, probe.size());
        }
    }

    private static void add(Map<String, List<Figures>> rows, String name, Figures f) {
        rows.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
    }

    static LinearClassifier linear(List<Labelled> labelled, LinearSettings s, long seed) {
        return LinearClassifier.build(labelled, Calibration.heldOut(labelled, 0.25, seed), s, "bench");
    }

    static Figures measure(Split split, Function<List<Labelled>, FittedClassifier> build) {
        long t0 = System.nanoTime();
        FittedClassifier c = build.apply(split.train);
        double seconds = (System.nanoTime() - t0) / 1e9;
        HeldOutCheck known = HeldOutCheck.of(split.test, c::classify);
        int none = 0;
        for (Labelled u : split.unseen) {
            Classification r = c.classify(u.vector());
            none += r.none() ? 1 : 0;
        }
        return new Figures(known.topAccuracy(), known.accuracy(), known.none(),
                split.unseen.isEmpty() ? Double.NaN : none / (double) split.unseen.size(), seconds);
    }

    // ----------------------------------------------------------------------------------------------- sweep

    /** The settings tried, on the tuning seeds only: features × C grid × rejection signals and shares. */
    private static void sweep(List<Plan> plans, Map<String, List<Labelled>> data, boolean features,
                              boolean rejection) {
        LinearSettings base = LinearSettings.defaults(42);
        Map<String, LinearSettings> variants = new LinkedHashMap<>();
        double[][] grids = {LinearFit.Settings.logGrid(-4, 4, 10), LinearFit.Settings.logGrid(-2, 3, 11),
                LinearFit.Settings.logGrid(-1, 4, 11)};
        String[] gridNames = {"1e-4..1e4 ×10", "1e-2..1e3 ×11", "1e-1..1e4 ×11"};
        for (Features f : Features.values()) {
            for (int g = 0; g < grids.length; g++) {
                variants.put(f + ", C " + gridNames[g], base.withFit(base.fit().withFeatures(f).withGrid(grids[g]))
                        .withRejectShare(0));
            }
        }
        System.out.println("| dataset | features, C grid | top-1 (mean over tuning seeds) | seconds |");
        System.out.println("|---|---|---|---|");
        for (Plan plan : features ? plans : List.<Plan>of()) {
            for (var v : variants.entrySet()) {
                double top = 0;
                double secs = 0;
                for (long seed : TUNING_SEEDS) {
                    Split split = split(plan, data.get(plan.dataset()), seed);
                    Figures f = measure(split, l -> linear(l, v.getValue().withFit(v.getValue().fit().withSeed(seed)),
                            seed));
                    top += f.top() / TUNING_SEEDS.length;
                    secs += f.seconds() / TUNING_SEEDS.length;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %.1f |%n", plan.dataset(), v.getKey(), top, secs);
            }
        }
        System.out.println();
        System.out.println("| dataset | rejection | share | accuracy (none wrong) | top-1 | known → none | never-labelled → none |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Plan plan : rejection ? plans : List.<Plan>of()) {
            for (boolean similarity : new boolean[] {false, true}) {
                for (double share : new double[] {0.02, 0.05, 0.10}) {
                    List<Figures> fs = new ArrayList<>();
                    for (long seed : TUNING_SEEDS) {
                        Split split = split(plan, data.get(plan.dataset()), seed);
                        LinearSettings s = base.withFit(base.fit().withSeed(seed)).withRejectShare(share)
                                .withSimilarity(similarity);
                        fs.add(measure(split, l -> linear(l, s, seed)));
                    }
                    System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %s | %s | %s | %s |%n", plan.dataset(),
                            similarity ? "probability or similarity" : "probability", share, ms(fs, Figures::accuracy),
                            ms(fs, Figures::top), ms(fs, Figures::knownNone), ms(fs, Figures::unseenNone));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ data

    /** Seeded: shuffle the groups, keep the known share; per known group hold out the test share. */
    static Split split(Plan plan, List<Labelled> items, long seed) {
        Map<String, List<Labelled>> byGroup = new TreeMap<>();
        for (Labelled l : items) {
            byGroup.computeIfAbsent(l.labels().iterator().next(), g -> new ArrayList<>()).add(l);
        }
        List<String> groups = new ArrayList<>(byGroup.keySet());
        int[] order = new int[groups.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Rng rng = Rng.of(seed, 20);
        rng.shuffle(order);
        int known = (int) Math.round(groups.size() * plan.knownGroups());
        List<Labelled> train = new ArrayList<>();
        List<Labelled> test = new ArrayList<>();
        List<Labelled> unseen = new ArrayList<>();
        for (int g = 0; g < order.length; g++) {
            List<Labelled> members = byGroup.get(groups.get(order[g]));
            int[] m = new int[members.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = i;
            }
            rng.shuffle(m);
            int take = plan.perGroupCap() > 0 ? Math.min(plan.perGroupCap(), m.length) : m.length;
            if (g >= known) {
                for (int i = 0; i < take; i++) {
                    unseen.add(members.get(m[i]));
                }
                continue;
            }
            int nTest = (int) Math.round(take * plan.testShare());
            for (int i = 0; i < take; i++) {
                (i < nTest ? test : train).add(members.get(m[i]));
            }
        }
        return new Split(train, test, unseen);
    }

    private static List<Labelled> images(Path shared, String dataset) throws IOException {
        List<Labelled> out = new ArrayList<>();
        for (Embeddings.Image im : Embeddings.images(shared, dataset)) {
            out.add(new Labelled(im.path(), im.vector(), Set.of(im.columns().get("label"))));
        }
        return out;
    }

    /** Fashion-MNIST's test split through the Fashion-MNIST autoencoder's encoder (128-d), normalised as ingest does. */
    private static List<Labelled> fashion(Path shared) throws IOException {
        Path dir = shared.resolve("datasets/fashion_mnist");
        ModelSpec spec = new ModelSpec(shared.resolve("models/fashion-autoencoder/encoder.onnx"), "fashion-autoencoder",
                Optional.empty(), "encoded", 28, 28, ModelSpec.Channels.GREY, ModelSpec.Layout.NCHW, 255f,
                new float[] {0f}, new float[] {1f}, ModelSpec.Pooling.FLATTEN);
        List<float[]> tensors = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(dir.resolve("t10k-images-idx3-ubyte.gz"));
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            in.readInt();
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            byte[] b = new byte[pixels];
            for (int i = 0; i < count; i++) {
                in.readFully(b);
                float[] t = new float[pixels];
                for (int j = 0; j < pixels; j++) {
                    t[j] = (b[j] & 0xff) / 255f;
                }
                tensors.add(t);
            }
        }
        byte[] labels;
        try (InputStream raw = Files.newInputStream(dir.resolve("t10k-labels-idx1-ubyte.gz"));
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            in.readInt();
            labels = new byte[in.readInt()];
            in.readFully(labels);
        }
        float[][] codes;
        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(spec, 500, 0)) {
            codes = model.embed(tensors);
        }
        String[] names = {"t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                "ankle-boot"};
        List<Labelled> out = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            float[] v = codes[i];
            double ss = 0;
            for (float x : v) {
                ss += x * x;
            }
            float inv = (float) (1 / Math.sqrt(ss));
            for (int j = 0; j < v.length; j++) {
                v[j] *= inv;
            }
            out.add(Labelled.of(String.format(Locale.ROOT, "fashion-%05d", i), v, names[labels[i]]));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ peer

    /** scikit-learn on the same split: name → {accuracy, seconds}. */
    private static Map<String, Double[]> probe(String name, Split split) throws IOException, InterruptedException {
        Map<String, Double[]> r = new LinkedHashMap<>();
        for (String l : probeLines(WORK.resolve(name), split.train, split.test)) {
            String[] f = l.split(" ");
            r.put(f[0], new Double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
        }
        return r;
    }

    /** Runs {@code groups_probe.py} on the vectors and first labels: its lines {@code name accuracy seconds}. */
    static List<String> probeLines(Path dir, List<Labelled> train, List<Labelled> test)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Npy.writeFloats(dir.resolve("train_x.npy"), train.stream().map(Labelled::vector).toList());
        Npy.writeFloats(dir.resolve("test_x.npy"), test.stream().map(Labelled::vector).toList());
        Files.write(dir.resolve("train_y.txt"), train.stream().map(l -> l.labels().iterator().next()).toList(),
                StandardCharsets.UTF_8);
        Files.write(dir.resolve("test_y.txt"), test.stream().map(l -> l.labels().iterator().next()).toList(),
                StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("/usr/bin/python3", "src/bench/peers/groups_probe.py", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("groups_probe.py failed:\n" + out);
        }
        return out.lines().filter(l -> l.startsWith("logreg")).toList();
    }

    // ----------------------------------------------------------------------------------------------- stats

    private static double mean(List<Figures> f, java.util.function.ToDoubleFunction<Figures> v) {
        return f.stream().mapToDouble(v).average().orElse(Double.NaN);
    }

    private static String ms(List<Figures> f, java.util.function.ToDoubleFunction<Figures> v) {
        double m = mean(f, v);
        if (Double.isNaN(m)) {
            return "";
        }
        double ss = 0;
        for (Figures x : f) {
            ss += (v.applyAsDouble(x) - m) * (v.applyAsDouble(x) - m);
        }
        double sd = f.size() > 1 ? Math.sqrt(ss / (f.size() - 1)) : 0;
        return String.format(Locale.ROOT, "%.4f ± %.4f", m, sd);
    }
}
