package dev.viewfold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.cluster.ClusterRun;
import dev.viewfold.cluster.RunSummary;
import dev.viewfold.config.ViewfoldConfig;
import dev.viewfold.functions.BadRequest;
import dev.viewfold.functions.ClassifyFunction;
import dev.viewfold.functions.ClusterFunction;
import dev.viewfold.functions.RequestBodies;
import dev.viewfold.functions.TrainFunction;
import dev.viewfold.groups.HeadSpaces;
import dev.viewfold.groups.HeadStore;
import dev.viewfold.groups.TrainRun;
import dev.viewfold.groups.ViewWhitening;
import dev.viewfold.groups.TrainingSettings;
import dev.viewfold.store.ObjectStores;
import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.EncodeSummary;
import dev.viewfold.encode.Encoder;
import dev.viewfold.search.Export;
import dev.viewfold.search.IndexCatalog;
import dev.viewfold.search.NearDuplicates;
import dev.viewfold.search.SearchIndex;
import dev.viewfold.encode.ModelSpecException;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.events.BatchRunner;
import dev.viewfold.events.FolderScan;
import dev.viewfold.events.FolderWatcher;
import dev.viewfold.events.IngestManifest;
import dev.viewfold.events.NotificationEncoder;
import dev.viewfold.events.S3EventParser;
import dev.viewfold.events.sqs.SqsEncodeWorker;
import dev.viewfold.store.VectorTable;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.wiring.EncodeWiring.EmbeddingSpace;
import dev.viewfold.wiring.GroupsWiring;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The local main job: {@code ingest}, {@code watch}, {@code stats}, {@code serve} and {@code worker}.
 * Exit codes: 0 done (even when some images failed: their rows say why), 1 something broke,
 * 2 the command line or the configuration is wrong.
 */
@QuarkusMain
public class ViewfoldMain implements QuarkusApplication {

    static final String USAGE = """
            usage: java -jar target/quarkus-app/quarkus-run.jar <command>
              ingest <dir> [--manifest <csv>]  encode every image under <dir>, or those the manifest lists
                                               (CSV: path, optionally observation_id, view, label)
              watch <dir>                      ingest <dir>, then encode images as they appear in it
              stats                            print the vector table's counts as JSON
              serve                            serve the functions over HTTP on localhost (POST /encode, /aggregate,
                                               /search, /search/image, /duplicates, /cluster, /labels, /train,
                                               /classify; GET /stats, /map/)
              index                            build the search indexes and write their snapshots (fast cold starts)
              export <dir> [--target images|observations]
                                               write <dir>/vectors.npy and <dir>/rows.csv (numpy, pandas, faiss)
              duplicates [--threshold t] [--target images|observations]
                                               list near-duplicate groups as JSON lines
              cluster [--space s] [--json]     re-cluster all observations (UMAP + HDBSCAN), keep cluster ids stable,
                                               write the map under maps/ in the uploads bucket (serve shows it at /map/)
              train [--head linear|mlp] [--dim n] [--loss triplet|contrastive] [--mining batch-hard|semi-hard]
                    [--epochs n] [--seed n] [--examples observations|images] [--catch-up seconds] [--json]
                                               learn a projection head on the labelled observations; its space
                                               (<model space>+head@<digest>) gets every row, projected; then wait
                                               and project what ingest elsewhere wrote meanwhile (default: the
                                               heads-refresh + 5 s on AWS, 0 on the embedded store)
              train --head whiten [--shrink s] [--catch-up seconds] [--json]
                                               no labels needed: fit a whitening head on the views of each
                                               observation (outlier views left out), so that one folded vector
                                               per observation retrieves about as well as every raw view indexed
              classify <image>... [--method prototype|knn] [--space s]
                                               place image files (several: one observation) into the labelled groups
              worker                           drain the SQS queue of S3 notifications (viewfold.aws.queue-url)
            configuration: VIEWFOLD_DATA (data folder), VIEWFOLD_MODEL (.onnx file), VIEWFOLD_STORE (local|aws);
            see README.md for the rest""";

    private static final int MAX_FAILURES_LISTED = 20;

    public static void main(String... args) {
        String command = args.length == 0 ? "help" : args[0];
        // Only serve answers HTTP; the other commands must not hold a port.
        if (!command.equals("serve")) {
            System.setProperty("quarkus.http.host-enabled", "false");
        }
        // The commands load the model themselves, to report a bad one in one clear line.
        System.setProperty("viewfold.encode.load-at-start", "false");
        // DJL must never reach for the network (model zoo, EC2 metadata probe).
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Quarkus.run(ViewfoldMain.class, args);
    }

    @Inject
    ViewfoldConfig config;

    @Inject
    Instance<Encoder> encoder;

    @Inject
    Instance<OnnxEmbeddingModel> model;

    @Inject
    VectorTable table;

    @Inject
    EmbeddingSpace space;

    @Inject
    ObjectMapper json;

    @Inject
    Instance<SqsClient> sqs;

    @Inject
    S3EventParser parser;

    @Inject
    Instance<NotificationEncoder> notifications;

    @Inject
    Instance<IndexCatalog> catalog;

    @Inject
    Instance<ClusterRun> clusterRun;

    @Inject
    Instance<ClusterFunction> clusterFunction;

    @Inject
    Instance<ObjectStores> stores;

    @Inject
    Instance<HeadStore> heads;

    @Inject
    Instance<TrainRun> trainRun;

    @Inject
    Instance<ClassifyFunction> classifyFunction;

    @Override
    public int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            String command = args.length == 0 ? "help" : args[0];
            List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
            return switch (command) {
                case "ingest" -> ingest(rest, out, err);
                case "watch" -> watch(rest, out, err);
                case "stats" -> stats(out);
                case "serve" -> serve(out);
                case "worker" -> worker(err);
                case "index" -> index(out, err);
                case "export" -> export(rest, out, err);
                case "duplicates" -> duplicates(rest, out, err);
                case "cluster" -> cluster(rest, out, err);
                case "train" -> train(rest, out, err);
                case "classify" -> classify(rest, out);
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println("viewfold: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (ModelSpecException e) {
            err.println("viewfold: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("viewfold: " + e);
            return 1;
        }
    }

    private int ingest(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Path dir = null;
        Path manifest = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--manifest")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--manifest needs a CSV file");
                }
                manifest = Path.of(args.get(++i));
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option '" + a + "'");
            } else if (dir == null) {
                dir = Path.of(a);
            } else {
                throw new UsageException("ingest takes one folder, got '" + dir + "' and '" + a + "'");
            }
        }
        if (dir == null) {
            throw new UsageException("ingest needs a folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException("no such folder: " + dir.toAbsolutePath());
        }
        if (manifest != null && !Files.isRegularFile(manifest)) {
            throw new UsageException("no such manifest: " + manifest.toAbsolutePath());
        }
        Encoder enc = loadEncoder();
        LocalObjectStore store = new LocalObjectStore(dir);
        List<EncodeRequest> requests;
        try {
            requests = manifest != null ? IngestManifest.read(manifest) : FolderScan.scan(store);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        err.printf("ingest: %d images from %s into space %s%n", requests.size(), store.root(), enc.space());
        if (manifest != null) {
            Set<String> listed = new java.util.HashSet<>();
            requests.forEach(r -> listed.add(Path.of(r.key()).normalize().toString()));
            long unlisted = FolderScan.scan(store).stream()
                    .filter(r -> !listed.contains(Path.of(r.key()).normalize().toString())).count();
            if (unlisted > 0) {
                err.printf("ingest: %d %s under %s not in the manifest, left alone%n", unlisted,
                        unlisted == 1 ? "image" : "images", store.root());
            }
        }
        ProgressLine progress = new ProgressLine(err, requests.size());
        List<EncodeOutcome> problems = new ArrayList<>();
        EncodeSummary summary = new BatchRunner(enc, config.encode().batch()).run(store, requests, (s, outcomes) -> {
            outcomes.stream().filter(o -> o.kind() == EncodeOutcome.Kind.FAILED || o.kind() == EncodeOutcome.Kind.MISSING)
                    .forEach(problems::add);
            progress.update(s);
        });
        for (int i = 0; i < Math.min(MAX_FAILURES_LISTED, problems.size()); i++) {
            EncodeOutcome o = problems.get(i);
            err.printf("  %s %s: %s%n", o.kind().name().toLowerCase(Locale.ROOT), o.imageId(), o.reason());
        }
        if (problems.size() > MAX_FAILURES_LISTED) {
            err.printf("  ... and %d more (stats and the failed rows have them all)%n", problems.size() - MAX_FAILURES_LISTED);
        }
        double seconds = progress.seconds();
        out.printf(Locale.ROOT, "ingest: %d encoded, %d unchanged%s, %d failed%s, %d observations in %.1f s (%.0f images/s), space %s%n",
                summary.encoded(), summary.unchanged(),
                summary.relabelled() > 0 ? ", " + summary.relabelled() + " relabelled" : "", summary.failed(),
                summary.missing() > 0 ? ", " + summary.missing() + " missing" : "",
                summary.observations(), seconds, summary.total() / Math.max(seconds, 1e-3), enc.space());
        return 0;
    }

    private int watch(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.size() != 1) {
            throw new UsageException("watch takes one folder");
        }
        int code = ingest(args, out, err);
        LocalObjectStore store = new LocalObjectStore(Path.of(args.get(0)));
        err.printf("watching %s for new images (Ctrl-C to stop)%n", store.root());
        try (FolderWatcher watcher = new FolderWatcher(store, encoder.get(), 500)) {
            watcher.run(outcomes -> outcomes.forEach(o -> out.printf("%s %s%s%n",
                    o.kind().name().toLowerCase(Locale.ROOT), o.imageId(), o.reason() == null ? "" : ": " + o.reason())));
        }
        return code;
    }

    private int stats(PrintStream out) throws IOException {
        out.println(json.writeValueAsString(table.stats(space.id())));
        return 0;
    }

    private int serve(PrintStream out) {
        loadEncoder();
        out.printf("viewfold: serving on http://localhost:%s (POST /encode, /aggregate, /search, /search/image,"
                        + " /duplicates, /cluster; GET /stats, /map/); Ctrl-C to stop%n",
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.http.port", String.class).orElse("8080"));
        var timer = config.cluster().every().map(every -> {
            var pool = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cluster-timer");
                t.setDaemon(true);
                return t;
            });
            // Fixed delay: a run that outlasts the period is never overlapped by the next.
            pool.scheduleWithFixedDelay(() -> {
                try {
                    clusterFunction.get().cluster(null);
                } catch (RuntimeException e) {
                    org.jboss.logging.Logger.getLogger(ViewfoldMain.class).errorf("scheduled cluster run failed: %s", e);
                }
            }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            out.printf("viewfold: re-clustering every %s (viewfold.cluster.every)%n", every);
            return pool;
        });
        Quarkus.waitForExit();
        timer.ifPresent(java.util.concurrent.ExecutorService::shutdownNow);
        return 0;
    }

    private int cluster(List<String> args, PrintStream out, PrintStream err) throws IOException {
        args = new ArrayList<>(args);
        boolean asJson = args.remove("--json");
        Map<String, String> o = options(args, Set.of("--space"));
        if (args.size() != o.size() * 2) {
            throw new UsageException("cluster takes --space and --json, not " + args);
        }
        String clustered = o.getOrDefault("--space", space.id());
        if (!heads.get().knows(space.id(), clustered)) {
            throw new UsageException("unknown space '" + clustered + "'; known: " + space.id() + " "
                    + heads.get().spacesOf(space.id()));
        }
        err.printf("cluster: re-clustering the observations of space %s ...%n", clustered);
        RunSummary s = clusterRun.get().run(clustered, ClusterRun.eachStage(stage -> err.printf("cluster: %s%n", stage)));
        if (asJson) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            return 0;
        }
        var c = s.changes();
        out.printf(Locale.ROOT, "cluster: %d observations, %d clusters, %.1f%% noise, in %.1f s (run %s)%n",
                s.observations(), s.clusters(), 100 * s.noiseFraction(), s.seconds(), s.run());
        out.printf(Locale.ROOT, "cluster: ids kept for %.1f%% of placed observations (%d moved, %d into noise, %d out of"
                        + " noise, %d new); %d clusters born, %d gone, %d splits, %d merges%n",
                100 * s.keptFraction(), c.moved(), c.intoNoise(), c.outOfNoise(), c.newObservations(), c.births().size(),
                c.deaths().size(), c.splits().size(), c.merges().size());
        out.printf("cluster: map %s%s%n", stores.get().uploads().uri(s.map()),
                HeadSpaces.isHead(s.space()) ? "" : " (or: serve, then open /map/)"); // /map/ serves the model space's
        return 0;
    }

    private int worker(PrintStream err) {
        String queue = config.aws().queueUrl()
                .orElseThrow(() -> new UsageException("worker needs viewfold.aws.queue-url (VIEWFOLD_AWS_QUEUE_URL)"));
        loadEncoder();
        new SqsEncodeWorker(sqs.get(), queue, parser, notifications.get()).run();
        return 0;
    }

    private int index(PrintStream out, PrintStream err) throws IOException {
        loadEncoder();
        long started = System.nanoTime();
        err.printf("index: building the search indexes of space %s ...%n", space.id());
        for (String written : catalog.get().writeSnapshots()) {
            out.println("index: wrote " + written);
        }
        out.printf(Locale.ROOT, "index: done in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private int export(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> options = options(args, Set.of("--target"));
        List<String> positional = args.stream().filter(a -> !options.containsKey(a) && !options.containsValue(a)).toList();
        if (positional.size() != 1) {
            throw new UsageException("export takes one output folder");
        }
        loadEncoder();
        IndexCatalog.Target target = target(options.getOrDefault("--target", "observations"));
        Export.Written w = Export.write(catalog.get().index(target), Path.of(positional.get(0)));
        out.printf("export: %d %s × %d dimensions -> %s, %s%n", w.count(), target.name().toLowerCase(Locale.ROOT),
                w.dimension(), w.vectors(), w.rows());
        return 0;
    }

    private int duplicates(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> options = options(args, Set.of("--threshold", "--target"));
        if (options.size() * 2 != args.size()) {
            throw new UsageException("duplicates takes only --threshold and --target");
        }
        float threshold;
        try {
            threshold = Float.parseFloat(options.getOrDefault("--threshold",
                    Float.toString(config.search().duplicateThreshold())));
        } catch (NumberFormatException e) {
            throw new UsageException("--threshold needs a number, e.g. 0.95");
        }
        loadEncoder();
        SearchIndex index = catalog.get().index(target(options.getOrDefault("--target", "images")));
        ProgressLine progress = new ProgressLine(err, index.size());
        List<NearDuplicates.Group> groups = NearDuplicates.groups(index, threshold, 10, progress::rows);
        for (NearDuplicates.Group g : groups) {
            out.println(json.writeValueAsString(g));
        }
        err.printf(Locale.ROOT, "duplicates: %d groups at cosine >= %s among %d rows%n", groups.size(), threshold, index.size());
        return 0;
    }

    private static IndexCatalog.Target target(String name) {
        try {
            return IndexCatalog.Target.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private int train(List<String> args, PrintStream out, PrintStream err) throws IOException {
        args = new ArrayList<>(args);
        boolean asJson = args.remove("--json");
        Map<String, String> o = options(args, Set.of("--head", "--dim", "--loss", "--mining", "--epochs", "--seed",
                "--examples", "--catch-up", "--shrink"));
        if (args.size() != o.size() * 2) {
            throw new UsageException("train takes only options, not " + args);
        }
        boolean whiten = "whiten".equalsIgnoreCase(String.valueOf(o.get("--head")).trim());
        if (whiten && !Set.of("--head", "--shrink", "--catch-up").containsAll(o.keySet())) {
            throw new UsageException("train --head whiten is fitted, not trained: it takes --shrink and --catch-up only");
        }
        if (!whiten && o.containsKey("--shrink")) {
            throw new UsageException("--shrink is for train --head whiten");
        }
        TrainingSettings settings = null;
        TrainRun.Examples examples;
        try {
            examples = o.containsKey("--examples")
                    ? RequestBodies.choice(TrainRun.Examples.class, "examples", o.get("--examples"))
                    : TrainRun.Examples.OBSERVATIONS;
            if (!whiten) {
                settings = TrainFunction.settings(new TrainFunction.Request(o.get("--head"), integer(o, "--dim"), null,
                        o.get("--loss"), o.get("--mining"), null, null, null, null, null, integer(o, "--epochs"), null,
                        null, o.containsKey("--seed") ? Long.valueOf(integer(o, "--seed")) : null, null, null));
            }
        } catch (BadRequest e) {
            throw new UsageException(e.getMessage());
        }
        double shrink = ViewWhitening.DEFAULT_SHRINK;
        if (o.containsKey("--shrink")) {
            try {
                shrink = Double.parseDouble(o.get("--shrink"));
            } catch (NumberFormatException e) {
                shrink = Double.NaN;
            }
            if (ViewWhitening.shrinkProblem(shrink) != null) {
                throw new UsageException("--shrink takes a number above 0 and at most 1e6 (default "
                        + ViewWhitening.DEFAULT_SHRINK + "), not " + o.get("--shrink"));
            }
        }
        Integer catchUpSeconds = integer(o, "--catch-up");
        if (catchUpSeconds != null && catchUpSeconds < 0) {
            throw new UsageException("--catch-up takes seconds to wait (0 for none), not " + catchUpSeconds);
        }
        java.time.Duration catchUp = catchUpSeconds == null
                ? GroupsWiring.defaultCatchUp(config) : java.time.Duration.ofSeconds(catchUpSeconds);
        TrainRun.Outcome r;
        try {
            r = whiten
                    ? trainRun.get().whiten(space.id(), shrink, catchUp, line -> err.printf("train: %s%n", line))
                    : trainRun.get().train(space.id(), settings, examples, catchUp, line -> err.printf("train: %s%n", line));
        } catch (IllegalArgumentException e) {
            err.println("train: " + e.getMessage());
            return 1;
        }
        if (asJson) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(r.report()));
            return 0;
        }
        var t = r.training();
        JsonNode rep = r.report();
        if (t == null) {
            out.printf(Locale.ROOT, "train: whitening head %s (%d-d) from %d views of %d observations, %d flagged views"
                    + " left out%n", r.head().digest(), r.head().outputDim(), rep.path("views").asInt(),
                    rep.path("observations").asInt(), rep.path("flaggedViewsLeftOut").asInt());
            if (rep.has("validationHead")) {
                out.printf(Locale.ROOT, "train: %d held-out observations, a view finding its observation's other views:"
                        + " MAP@R %.4f raw -> %.4f whitened; Recall@1 %.4f -> %.4f%n",
                        rep.path("validationObservations").asInt(), rep.path("validationRaw").path("mapAtR").asDouble(),
                        rep.path("validationHead").path("mapAtR").asDouble(),
                        rep.path("validationRaw").path("recallAt1").asDouble(),
                        rep.path("validationHead").path("recallAt1").asDouble());
            }
        } else {
            out.printf(Locale.ROOT, "train: head %s (%s %s, %d-d), best epoch %d of %d; %d train groups, %d validation"
                    + " groups%n", r.head().digest(), t.settings().head().name().toLowerCase(Locale.ROOT),
                    t.settings().loss().name().toLowerCase(Locale.ROOT), r.head().outputDim(), t.bestEpoch(),
                    t.curve().size() - 1, t.trainGroups().size(), t.validationGroups().size());
            out.printf(Locale.ROOT, "train: unseen validation groups, MAP@R %.4f raw -> %.4f with the head; Recall@1"
                    + " %.4f -> %.4f%n", t.rawValidation().mapAtR(), t.headValidation().mapAtR(),
                    t.rawValidation().recallAt1(), t.headValidation().recallAt1());
        }
        if (r.report().hasNonNull("warning")) {
            out.println("train: warning: " + r.report().get("warning").asText());
        }
        if (r.report().path("catchUp").hasNonNull("warning")) {
            out.println("train: warning: " + r.report().path("catchUp").get("warning").asText());
        }
        String caughtUp = r.report().path("catchUp").has("images")
                ? " (then " + r.report().path("catchUp").path("images").asInt() + " written meanwhile)" : "";
        out.printf("train: space %s: %d images%s and %d observations projected, report %s%n", r.headSpace(),
                r.projected().images(), caughtUp, r.projected().observations(),
                stores.get().uploads().uri("heads/" + r.baseSpace() + "/" + r.head().digest() + ".json"));
        return 0;
    }

    private int classify(List<String> args, PrintStream out) throws IOException {
        Map<String, String> o = options(args, Set.of("--method", "--space"));
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith("--")) {
                i++;
            } else {
                files.add(args.get(i));
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("classify needs at least one image file");
        }
        var request = json.createObjectNode();
        var images = request.putArray("images");
        for (String f : files) {
            if (!Files.isRegularFile(Path.of(f))) {
                throw new UsageException("no such image file: " + Path.of(f).toAbsolutePath());
            }
            images.add(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(f))));
        }
        o.forEach((k, v) -> request.put(k.substring(2), v));
        try {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(classifyFunction.get().classify(request)));
            return 0;
        } catch (BadRequest e) {
            System.err.println("classify: " + e.getMessage());
            // What was asked is wrong (an option, a space, a file that is no image): 2; no labels yet (409): 1.
            return e.status() == 409 ? 1 : 2;
        }
    }

    private static Integer integer(Map<String, String> o, String name) {
        String v = o.get(name);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, not '" + v + "'");
        }
    }

    /** {@code --name value} pairs among the arguments; unknown options are a usage error. */
    private static Map<String, String> options(List<String> args, Set<String> known) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (!known.contains(a)) {
                    throw new UsageException("unknown option '" + a + "'");
                }
                if (i + 1 >= args.size()) {
                    throw new UsageException(a + " needs a value");
                }
                out.put(a, args.get(++i));
            }
        }
        return out;
    }

    private Encoder loadEncoder() {
        model.get().dimension(); // loads and checks the model: a ModelSpecException names the problem
        return encoder.get();
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
