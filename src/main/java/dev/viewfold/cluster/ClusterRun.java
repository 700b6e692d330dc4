package dev.viewfold.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.cluster.umap.Umap;
import dev.viewfold.errors.Refused;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorTable;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scheduled re-clustering of a space: reads every usable observation row, runs the pipeline,
 * keeps cluster ids stable against the rows' previous placements, writes the placements back and the
 * map and summary under {@code maps/<run>/} (copied to the space's latest folder, see
 * {@link BucketLayout#latestMap}) in the bucket.
 */
public final class ClusterRun {

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final VectorTable table;
    private final ObjectStore bucket;
    private final ObjectMapper json;
    private final ClusterSettings settings;
    private final Clock clock;
    private final String homeSpace;
    private final java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();

    public ClusterRun(VectorTable table, ObjectStore bucket, ObjectMapper json, ClusterSettings settings, Clock clock) {
        this(table, bucket, json, settings, clock, null);
    }

    /**
     * @param homeSpace the deployment's own space, whose newest map is {@code maps/latest/}; another
     *                  space's (a trained head's) is {@code maps/spaces/<space>/latest/}. Null: every
     *                  space's is {@code maps/latest/}.
     */
    public ClusterRun(VectorTable table, ObjectStore bucket, ObjectMapper json, ClusterSettings settings, Clock clock,
                      String homeSpace) {
        this.homeSpace = homeSpace;
        this.table = Objects.requireNonNull(table, "table");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.json = Objects.requireNonNull(json, "json");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** A progress that tells {@code onStage} each time a new stage starts (one line per stage for a log). */
    public static Umap.Progress eachStage(java.util.function.Consumer<String> onStage) {
        String[] current = {""};
        return (stage, fraction) -> {
            synchronized (current) {
                if (!stage.equals(current[0])) {
                    current[0] = stage;
                    onStage.accept(stage);
                }
            }
        };
    }

    /**
     * Runs once over {@code space}; progress gets each stage and the fraction of it done. One run at a
     * time in a process (the scheduled one, a request, a command).
     *
     * @throws Refused (conflict) while another run is in progress here
     */
    public RunSummary run(String space, Umap.Progress progress) throws IOException {
        return run(space, progress, false);
    }

    /**
     * @param refit fit UMAP + HDBSCAN again even where placing the new observations among the last
     *              fit's clusters would do ({@link PlacementRun})
     */
    public RunSummary run(String space, Umap.Progress progress, boolean refit) throws IOException {
        if (!running.tryLock()) {
            throw Refused.conflict("a cluster run is already in progress; try again when it has finished");
        }
        try {
            if (table.stats(space).observations() > settings.fitSample()) {
                return runSampled(space, progress, refit);
            }
            return runAlone(space, progress, refit);
        } finally {
            running.unlock();
        }
    }

    /** The plan of a run's first phase: its id and the segments to place; none when the fit did all. */
    public record Phase(String run, String space, boolean assign, List<Segment> segments, RunSummary summary) {
    }

    /** One segment for the assign phase, as the state machine hands it on. */
    public record Segment(String phase, String run, int segment, int totalSegments) {
    }

    /**
     * The first phase of a run split into steps (AWS Step Functions): a collection within the fit
     * sample is clustered whole here and nothing is left to place; a larger one is fitted on its
     * sample, and the segments come back for the assign phase.
     */
    public Phase fitPhase(String space, int segments, boolean refit, Umap.Progress progress) throws IOException {
        if (!running.tryLock()) {
            throw Refused.conflict("a cluster run is already in progress; try again when it has finished");
        }
        try {
            if (table.stats(space).observations() <= settings.fitSample()) {
                RunSummary whole = runAlone(space, progress, refit);
                return new Phase(whole.run(), space, false, List.of(), whole);
            }
            var plan = new SampledRun(this, table, bucket, json, settings).fit(space, clock.instant(), segments, refit,
                    progress);
            List<Segment> list = new ArrayList<>();
            for (int s = 0; s < segments; s++) {
                list.add(new Segment("assign", plan.run(), s, segments));
            }
            return new Phase(plan.run(), space, true, list, null);
        } finally {
            running.unlock();
        }
    }

    /** The second phase: one segment of a sampled run's observations placed and written. */
    public JsonNode assignPhase(String run, int segment, int segments) throws IOException {
        return new SampledRun(this, table, bucket, json, settings).assign(run, segment, segments);
    }

    /** The last phase: the segments summed into the summary and the map. */
    public RunSummary finishPhase(String run) throws IOException {
        return new SampledRun(this, table, bucket, json, settings).finish(run);
    }

    /** Fit, the segments on this machine's threads, finish: the phases of a sampled run in one process. */
    private RunSummary runSampled(String space, Umap.Progress progress, boolean refit) throws IOException {
        SampledRun sampled = new SampledRun(this, table, bucket, json, settings);
        int segments = Math.max(1, settings.threads());
        var plan = sampled.fit(space, clock.instant(), segments, refit, progress);
        progress.report("place the rest", 0);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(segments);
        try {
            List<java.util.concurrent.Future<JsonNode>> done = new ArrayList<>();
            for (int s = 0; s < segments; s++) {
                int segment = s;
                done.add(pool.submit(() -> sampled.assign(plan.run(), segment, segments)));
            }
            for (int s = 0; s < segments; s++) {
                try {
                    done.get(s).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while placing segment " + s, e);
                }
                progress.report("place the rest", (s + 1.0) / segments);
            }
        } finally {
            pool.shutdownNow();
        }
        return sampled.finish(plan.run());
    }

    private RunSummary runAlone(String space, Umap.Progress progress, boolean refit) throws IOException {
        Instant started = clock.instant();
        Map<String, Double> stages = new LinkedHashMap<>();
        Stopwatch watch = new Stopwatch();

        progress.report("read", 0);
        List<ObservationRow> rows = new ArrayList<>();
        table.forEachObservationSince(space, Instant.EPOCH, row -> {
            if (row.status() == RowStatus.OK && row.vector() != null) {
                rows.add(row);
            }
        });
        // Input order decides tie-breaks inside the algorithms: make it independent of the table's.
        rows.sort(Comparator.comparing(ObservationRow::observationId));
        int n = rows.size();
        float[][] vectors = new float[n][];
        String[] previous = new String[n];
        for (int i = 0; i < n; i++) {
            ObservationRow row = rows.get(i);
            vectors[i] = row.vector();
            previous[i] = row.placement() == null ? null
                    : row.placement().clusterId() == null ? StableIds.NOISE_BEFORE : row.placement().clusterId();
        }
        progress.report("read", 1);
        stages.put("read", watch.lap());

        String latest = latestFolder(space);
        List<String> warnings = new ArrayList<>();
        ClusterSettings used = settings.forCollection(n);
        Map<String, Long> fingerprints = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            fingerprints.put(rows.get(i).observationId(), LastFit.fingerprint(vectors[i]));
        }
        if (!refit) {
            PlacementRun placing = PlacementRun.ifDue(this, table, bucket, json, LastFit.read(bucket, json, latest),
                    rows, fingerprints, settings);
            if (placing != null) {
                return placing.run(space, started, latest, warnings, fingerprints, used, progress);
            }
        }
        List<String> ids = rows.stream().map(ObservationRow::observationId).toList();
        String input = PreviousLayout.inputDigest(used, ids, vectors);
        ClusterPipeline.Prior prior = used.warmStart()
                ? PreviousLayout.read(bucket, json, latest, ids, input, used.dimensions(), warnings)
                : ClusterPipeline.Prior.NONE;
        Clustering clustering = new ClusterPipeline(used, progress).run(vectors, prior);
        stages.put("umap+hdbscan", watch.lap());

        JsonNode last = latestSummary(space, latest, warnings);
        long next = Math.max(1, last == null ? 1 : last.path("nextClusterNumber").asLong(1));
        for (String id : previous) {
            next = Math.max(next, StableIds.number(id) + 1);
        }
        StableIds.Assignment assignment = StableIds.assign(previous, clustering.labels(), next);
        stages.put("identities", watch.lap());

        String run = newRunId(started);
        progress.report("write", 0);
        Map<String, ObservationRow.Placement> placements = new HashMap<>(n * 2);
        List<MapPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObservationRow row = rows.get(i);
            float[] xy = clustering.map()[i];
            var placement = new ObservationRow.Placement(assignment.ids()[i], clustering.probabilities()[i],
                    clustering.outlierScores()[i], xy[0], xy[1], run);
            placements.put(row.observationId(), placement);
            points.add(new MapPoint(row.observationId(), xy[0], xy[1], placement.clusterId(),
                    placement.probability(), placement.outlierScore(), representativeView(row)));
        }
        table.putPlacements(space, placements, clock.instant());
        progress.report("write", 1);
        stages.put("write placements", watch.lap());

        Map<String, Integer> sizes = clusterSizes(assignment.ids());
        long noise = clustering.noise();
        warnings.addAll(RunWarnings.of(used, settings.minClusterSize() > 0, n, noise));
        Map<String, String> colours = MapColours.of(points);
        byte[] pointsJson = ClusterMap.pointsJson(points);
        byte[] page = ClusterMap.page(run, space, pointsJson, colours);
        byte[] layout = PreviousLayout.write(json, run, input, ids, clustering,
                LastFit.fitNode(json, run, n, 0, LastFit.settingsKey(settings)), fingerprints);
        stages.put("map", watch.lap());
        RunSummary summary = new RunSummary(run, space, started.toString(),
                Math.round(stages.values().stream().mapToDouble(Double::doubleValue).sum() * 1000) / 1000.0,
                stages, used, n, sizes.size(), noise, n == 0 ? 0 : (double) noise / n,
                assignment.changes().keptFraction(), assignment.changes(), sizes, assignment.nextNumber(),
                BucketLayout.mapRun(run) + "index.html", warnings, colours, prior.placed(), run, 0);
        byte[] summaryJson = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary);
        publish(run, latest, layout, pointsJson, page, summaryJson);
        return summary;
    }

    /**
     * A run's map, points, summary and layout: its own folder first, then latest, summary last in
     * each, so a reader of latest never sees a half-written run.
     */
    void publish(String run, String latest, byte[] layout, byte[] points, byte[] page, byte[] summary)
            throws IOException {
        for (String prefix : List.of(BucketLayout.mapRun(run), latest)) {
            bucket.put(prefix + PreviousLayout.FILE, layout, Map.of());
            bucket.put(prefix + "points.json", points, Map.of());
            bucket.put(prefix + "index.html", page, Map.of());
            bucket.put(prefix + "summary.json", summary, Map.of());
        }
    }

    /** Where the newest map of a space is kept: each space numbers its clusters from its own last run. */
    public String latestFolder(String space) {
        return BucketLayout.latestMap(space, homeSpace == null || homeSpace.equals(space));
    }

    /**
     * The newest readable summary of the space's runs, or null before the first. Only its next
     * cluster number is taken (ids themselves come from the rows), so a latest summary cut short by a
     * crash is reported and the run goes on from the newest run folder that reads.
     */
    JsonNode latestSummary(String space, String latest, List<String> warnings) throws IOException {
        if (!bucket.exists(latest + "summary.json")) {
            return null;
        }
        try {
            return json.readTree(bucket.get(latest + "summary.json", 16 << 20).bytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            List<String> runs = new ArrayList<>(bucket.list(BucketLayout.MAPS).stream()
                    .filter(k -> k.endsWith("/summary.json") && k.chars().filter(c -> c == '/').count() == 2
                            && !k.startsWith(BucketLayout.LATEST_MAP))
                    .toList());
            runs.sort(Comparator.reverseOrder());
            for (String key : runs) {
                try {
                    JsonNode summary = json.readTree(bucket.get(key, 16 << 20).bytes());
                    if (space.equals(summary.path("space").asText())) {
                        warnings.add(latest + "summary.json could not be read (" + unreadable.getOriginalMessage()
                                + "); cluster numbers continue from " + key);
                        return summary;
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException alsoUnreadable) {
                    // an older run's summary cut short too: try the one before it
                }
            }
            warnings.add(latest + "summary.json could not be read (" + unreadable.getOriginalMessage()
                    + ") and no earlier run's summary could: cluster numbers continue from the rows' own ids");
            return null;
        }
    }

    /** Run ids sort by time; a second run within the same second gets a suffix. */
    String newRunId(Instant started) throws IOException {
        String base = RUN_ID.format(started);
        String run = base;
        for (int i = 2; bucket.exists(BucketLayout.mapRun(run) + "summary.json"); i++) {
            run = base + "-" + i;
        }
        return run;
    }

    /** The inlying view that agrees best with the rest: the one to show for the observation. */
    static String representativeView(ObservationRow row) {
        return row.views().stream()
                .max(Comparator.comparing((ObservationRow.ViewScore v) -> !v.outlier())
                        .thenComparingDouble(ObservationRow.ViewScore::agreement))
                .map(ObservationRow.ViewScore::imageId).orElse(null);
    }

    static Map<String, Integer> clusterSizes(String[] ids) {
        Map<String, Integer> counts = new HashMap<>();
        for (String id : ids) {
            if (id != null) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey(StableIds::compareIds)))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    static final class Stopwatch {
        private long last = System.nanoTime();

        double lap() {
            long now = System.nanoTime();
            double seconds = (now - last) / 1e9;
            last = now;
            return Math.round(seconds * 1000) / 1000.0;
        }
    }
}
