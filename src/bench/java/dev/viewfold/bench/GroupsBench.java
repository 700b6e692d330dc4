package dev.viewfold.bench;

import dev.viewfold.classify.Calibration;
import dev.viewfold.classify.CalibratedClassifier;
import dev.viewfold.classify.ClassifierKind;
import dev.viewfold.classify.GroupClassifier;
import dev.viewfold.groups.HeadKind;
import dev.viewfold.groups.Labelled;
import dev.viewfold.groups.LossKind;
import dev.viewfold.groups.MetricTrainer;
import dev.viewfold.groups.ProjectionHead;
import dev.viewfold.groups.RetrievalMetrics;
import dev.viewfold.groups.RetrievalScores;
import dev.viewfold.classify.Thresholds;
import dev.viewfold.groups.TrainingResult;
import dev.viewfold.groups.TrainingSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Groups: metric-learning heads and group classifiers on real embeddings (MobileNetV2 int8, encoded
 * once through the normal path), next to a scikit-learn logistic-regression probe on the same
 * embeddings and the same split.
 *
 * <p>Each dataset's groups are split into known and unseen groups (seeded). Heads train on the
 * training images of known groups; retrieval (Recall@1, Recall@4, MAP@R) is measured on the unseen
 * groups' images, raw and through each head; classification accuracy on held-out images of known
 * groups.
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=GroupsBench     # issue #20: linear classifiers against LogisticRegressionCV
 * ./mvnw -q -Pbench verify -Dbench=GroupsBench -Dbench.args="linear-sweep"   # the settings' sweep, on tuning seeds; "rejection-sweep": its rejection table only
 * ./mvnw -q -Pbench verify -Dbench=GroupsBench -Dbench.args="heads [caltech101 flowers12 orl_faces]" | "head-sweep"</pre>
 * See {@link Issue20}.
 */
public final class GroupsBench {

    private static final Path WORK = Path.of("target/bench-data/groups");
    private static final long SEED = 42;

    /** How a dataset is split: share of groups known, and per known group the held-out test images. */
    record Plan(String dataset, double knownGroups, double testShare, String splitColumn) {
    }

    static final List<Plan> PLANS = List.of(new Plan("caltech101", 0.5, 0.25, null),
            new Plan("flowers12", 8 / 12.0, 0, "split"), new Plan("orl_faces", 0.5, 0.3, null));

    record Split(List<Labelled> train, List<Labelled> test, List<Labelled> unseen) {
    }

    private record Head(String name, TrainingSettings settings) {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        if (a.contains("head-sweep")) {
            sweep();
        } else if (a.contains("heads")) {
            heads(a.stream().filter(x -> !x.equals("heads")).toArray(String[]::new));
        } else {
            Issue20.run(a);
        }
    }

    /** Issue #8's run: heads' retrieval of unseen groups, and the prototype and kNN classifiers beside the probe. */
    private static void heads(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        List<Plan> plans = new ArrayList<>(PLANS);
        if (args.length > 0) {
            plans.removeIf(p -> !List.of(args).contains(p.dataset()));
        }
        TrainingSettings d = TrainingSettings.defaults();
        List<Head> heads = List.of(
                new Head("linear triplet (default)", d),
                new Head("linear triplet", d.withOutputDim(128)),
                new Head("mlp triplet", d.withHead(HeadKind.MLP)),
                new Head("linear contrastive", d.withLoss(LossKind.CONTRASTIVE)));
        List<String> retrieval = new ArrayList<>();
        List<String> classification = new ArrayList<>();
        for (Plan plan : plans) {
            Split split = split(plan, Embeddings.images(shared, plan.dataset()));
            System.err.printf("%s: %d train / %d test images of known groups, %d images of unseen groups%n",
                    plan.dataset(), split.train.size(), split.test.size(), split.unseen.size());
            RetrievalScores raw = RetrievalMetrics.of(split.unseen);
            retrieval.add(retrievalRow(plan.dataset(), "raw embeddings (1280-d)", raw, raw, "", ""));
            Map<String, ProjectionHead> trained = new LinkedHashMap<>();
            trained.put("raw", null);
            for (Head h : heads) {
                long t0 = System.nanoTime();
                TrainingResult r = MetricTrainer.train(split.train, h.settings(), e -> { });
                double seconds = (System.nanoTime() - t0) / 1e9;
                TrainingResult again = MetricTrainer.train(split.train, h.settings(), e -> { });
                String same = again.head().digest().equals(r.head().digest()) ? "same" : "DIFFERENT";
                RetrievalScores s = RetrievalMetrics.of(project(split.unseen, r.head()));
                retrieval.add(retrievalRow(plan.dataset(), h.name() + " → " + r.head().outputDim() + "-d", s, raw,
                        String.format(Locale.ROOT, "%.1f s, best epoch %d", seconds, r.report().bestEpoch()),
                        same + (r.report().warning() != null ? "; report warns: worse on validation groups"
                                : r.report().validationGroups().size() < 5 ? "; report warns: "
                                + r.report().validationGroups().size() + " validation groups" : "")));
                trained.put(h.name(), r.head());
            }
            for (Map.Entry<String, ProjectionHead> e : trained.entrySet()) {
                List<Labelled> train = project(split.train, e.getValue());
                List<Labelled> test = project(split.test, e.getValue());
                List<Labelled> unseen = project(split.unseen, e.getValue());
                for (ClassifierKind kind : List.of(ClassifierKind.KNN, ClassifierKind.PROTOTYPE)) {
                    for (int k : kind == ClassifierKind.KNN ? new int[] {5, 10} : new int[] {0}) {
                        double acc = accuracy(GroupClassifier.fit(train, kind, Math.max(k, 1)), test);
                        CalibratedClassifier c = Calibration.calibrate(train, kind, Math.max(k, 1), 0.25, SEED);
                        double[] open = openSet(c, test, unseen);
                        classification.add(String.format(Locale.ROOT, "| %s | Viewfold %s%s, %s | %.4f | %.3f | %.3f |",
                                plan.dataset(), kind.name().toLowerCase(Locale.ROOT), k > 0 ? " k=" + k : "",
                                e.getKey(), acc, open[0], open[1]));
                    }
                }
            }
            for (String line : probe(plan.dataset(), split)) {
                String[] f = line.split(" ");
                classification.add(String.format(Locale.ROOT, "| %s | scikit-learn %s, raw (%s s) | %s | | |",
                        plan.dataset(), f[0], f[2], f[1]));
            }
        }
        System.out.println();
        System.out.println("Retrieval of unseen groups (leave-one-out among their images):");
        System.out.println("| dataset | space | Recall@1 | Recall@4 | MAP@R | MAP@R vs raw | training | same seed twice |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        retrieval.forEach(System.out::println);
        System.out.println();
        System.out.println("Classification of held-out images of known groups (top-1 accuracy); with calibrated"
                + " thresholds: share of known test images accepted into their own group, share of unseen-group"
                + " images answered 'none':");
        System.out.println("| dataset | classifier | accuracy | accepted correctly | unseen → none |");
        System.out.println("|---|---|---|---|---|");
        classification.forEach(System.out::println);
    }

    private static String retrievalRow(String dataset, String space, RetrievalScores s, RetrievalScores raw,
                                       String training, String deterministic) {
        return String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %s | %s | %s |", dataset, space,
                s.recallAt1(), s.recallAt4(), s.mapAtR(),
                s == raw ? "" : String.format(Locale.ROOT, "%+.2f pt", 100 * (s.mapAtR() - raw.mapAtR())),
                training, deterministic);
    }

    /** Seeded: shuffle the groups, take the known share; per known group hold out the test share (or the split column). */
    static Split split(Plan plan, List<Embeddings.Image> images) {
        Map<String, List<Embeddings.Image>> byGroup = new TreeMap<>();
        for (Embeddings.Image im : images) {
            byGroup.computeIfAbsent(im.columns().get("label"), g -> new ArrayList<>()).add(im);
        }
        List<String> groups = new ArrayList<>(byGroup.keySet());
        Collections.shuffle(groups, new Random(SEED));
        int known = (int) Math.round(groups.size() * plan.knownGroups());
        List<Labelled> train = new ArrayList<>();
        List<Labelled> test = new ArrayList<>();
        List<Labelled> unseen = new ArrayList<>();
        Random rnd = new Random(SEED + 1);
        for (int g = 0; g < groups.size(); g++) {
            List<Embeddings.Image> members = new ArrayList<>(byGroup.get(groups.get(g)));
            if (g >= known) {
                members.forEach(im -> unseen.add(labelled(im)));
                continue;
            }
            if (plan.splitColumn() != null) {
                members.forEach(im -> ("test".equals(im.columns().get(plan.splitColumn())) ? test : train).add(labelled(im)));
                continue;
            }
            Collections.shuffle(members, rnd);
            int nTest = (int) Math.round(members.size() * plan.testShare());
            for (int i = 0; i < members.size(); i++) {
                (i < nTest ? test : train).add(labelled(members.get(i)));
            }
        }
        return new Split(train, test, unseen);
    }

    private static Labelled labelled(Embeddings.Image im) {
        return new Labelled(im.path(), im.vector(), Set.of(im.columns().get("label")));
    }

    static List<Labelled> project(List<Labelled> items, ProjectionHead head) {
        if (head == null) {
            return items;
        }
        List<Labelled> out = new ArrayList<>(items.size());
        for (Labelled l : items) {
            out.add(new Labelled(l.id(), head.project(l.vector()), l.labels()));
        }
        return out;
    }

    private static final Thresholds NO_THRESHOLDS = new Thresholds(Map.of(), -2f); // below any cosine: top-1 only

    private static double accuracy(GroupClassifier c, List<Labelled> test) {
        int right = 0;
        for (Labelled l : test) {
            var scores = c.classify(l.vector(), NO_THRESHOLDS).scores();
            if (!scores.isEmpty() && l.labels().contains(scores.get(0).group())) {
                right++;
            }
        }
        return right / (double) test.size();
    }

    /** With calibrated thresholds: known test images accepted into their own group; unseen images answered none. */
    private static double[] openSet(CalibratedClassifier c, List<Labelled> test, List<Labelled> unseen) {
        int accepted = 0;
        for (Labelled l : test) {
            var r = c.classifier().classify(l.vector(), c.thresholds());
            if (!r.none() && l.labels().contains(r.scores().get(0).group()) && r.groups().contains(r.scores().get(0).group())) {
                accepted++;
            }
        }
        int none = 0;
        for (Labelled l : unseen) {
            none += c.classifier().classify(l.vector(), c.thresholds()).none() ? 1 : 0;
        }
        return new double[] {accepted / (double) test.size(), none / (double) unseen.size()};
    }

    private static List<String> probe(String dataset, Split split) throws IOException, InterruptedException {
        return Issue20.probeLines(WORK.resolve(dataset), split.train, split.test);
    }

    /** The sweep behind the default head: dims × mining × step size, three seeds each, unseen groups' MAP@R. */
    private static void sweep() throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        List<Plan> plans = PLANS;
        TrainingSettings d = TrainingSettings.defaults();
        for (Plan plan : plans) {
            Split split = split(plan, Embeddings.images(shared, plan.dataset()));
            RetrievalScores raw = RetrievalMetrics.of(split.unseen);
            System.out.printf("%s raw %.4f%n", plan.dataset(), raw.mapAtR());
            for (int dim : new int[] {128, 256, 1280}) {
                for (var mining : dev.viewfold.groups.Mining.values()) {
                    for (float lr : new float[] {1e-3f, 1e-4f}) {
                        double sum = 0;
                        StringBuilder each = new StringBuilder();
                        for (long seed = 1; seed <= 3; seed++) {
                            var st = d.withOutputDim(dim).withMining(mining).withLearningRate(lr).withSeed(seed);
                            TrainingResult r = MetricTrainer.train(split.train, st, e -> { });
                            double m = RetrievalMetrics.of(project(split.unseen, r.head())).mapAtR();
                            sum += m;
                            each.append(String.format(Locale.ROOT, " %+.2f(e%d)", 100 * (m - raw.mapAtR()), r.report().bestEpoch()));
                        }
                        System.out.printf(Locale.ROOT, "%s dim %d %s lr %.0e: mean %+.2f pt;%s%n", plan.dataset(), dim, mining, lr,
                                100 * (sum / 3 - raw.mapAtR()), each);
                    }
                }
            }
        }
    }
}
