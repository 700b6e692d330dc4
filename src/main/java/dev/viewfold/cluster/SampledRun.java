package dev.viewfold.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.cluster.umap.Umap;
import dev.viewfold.search.memory.IndexSnapshot;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.VectorTable;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster run over more observations than the fit sample, in three phases that can run in one
 * process (threads) or as AWS Step Functions states (a Distributed Map over the segments):
 * <ol>
 *   <li>{@link #fit}: the previous placements of every observation (no vectors kept), a stratified
 *       sample, UMAP + HDBSCAN on it, its ids matched, the sample's placements written and the
 *       model stored under {@code maps/<run>/work/};</li>
 *   <li>{@link #assign}: one segment of the observations placed by the model and written, its
 *       counts and a share of its points for the map stored beside it;</li>
 *   <li>{@link #finish}: the segments' counts summed into the run's summary and map.</li>
 * </ol>
 */
final class SampledRun {

    /** Points drawn on a sampled run's map: the sample, and this many more from the segments. */
    static final int MAP_POINTS = 200_000;

    /** What the fit decided, and the segments to place. */
    record Plan(String run, String space, int observations, int sample, int segments) {
    }

    private final ClusterRun owner;
    private final VectorTable table;
    private final ObjectStore bucket;
    private final ObjectMapper json;
    private final ClusterSettings settings;

    SampledRun(ClusterRun owner, VectorTable table, ObjectStore bucket, ObjectMapper json, ClusterSettings settings) {
        this.owner = owner;
        this.table = table;
        this.bucket = bucket;
        this.json = json;
        this.settings = settings;
    }

    static String work(String run) {
        return BucketLayout.mapRun(run) + "work/";
    }

    /**
     * @param refit fit again even where placing the new observations among the last fit's clusters
     *              would do ({@link PlacementRun#due})
     */
    Plan fit(String space, Instant started, int segments, boolean refit, Umap.Progress progress) throws IOException {
        ClusterRun.Stopwatch watch = new ClusterRun.Stopwatch();
        Map<String, Double> stages = new LinkedHashMap<>();
        progress.report("read", 0);
        Map<String, String> previous = new HashMap<>();
        Map<String, Long> fingerprints = new HashMap<>();
        table.forEachObservationSince(space, Instant.EPOCH, row -> {
            if (row.status() == RowStatus.OK && row.vector() != null) {
                previous.put(row.observationId(), previousOf(row));
                fingerprints.put(row.observationId(), LastFit.fingerprint(row.vector()));
            }
        });
        int n = previous.size();
        String latest = owner.latestFolder(space);
        LastFit laidOut = LastFit.read(bucket, json, latest);
        LastFit last = refit ? null : laidOut;
        PlacementRun.Due due = PlacementRun.due(last, fingerprints, id -> previous.get(id) != null, settings);
        if (due != null) {
            return placing(space, started, segments, last, due, previous, fingerprints, stages, watch);
        }
        List<String> ids = SampleFit.choose(previous, settings.fitSample(),
                SampleFit.floor(settings, settings.fitSample(), n), settings.seed());
        Map<String, float[]> vectors = new HashMap<>(ids.size() * 2);
        java.util.Set<String> wanted = new java.util.HashSet<>(ids);
        table.forEachObservationSince(space, Instant.EPOCH, row -> {
            if (wanted.contains(row.observationId()) && row.vector() != null) {
                vectors.put(row.observationId(), row.vector());
            }
        });
        ids = ids.stream().filter(vectors::containsKey).toList(); // a row deleted between the two reads
        float[][] x = new float[ids.size()][];
        String[] before = new String[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            x[i] = vectors.get(ids.get(i));
            before[i] = previous.get(ids.get(i));
        }
        progress.report("read", 1);
        stages.put("read", watch.lap());

        List<String> warnings = new ArrayList<>();
        ClusterPipeline.Prior prior = settings.warmStart() ? PreviousLayout.read(bucket, json, latest, ids,
                PreviousLayout.inputDigest(settings, ids, x), settings.dimensions(), warnings)
                : ClusterPipeline.Prior.NONE;
        // Hold only what the last layout still says: a row whose vector changed since starts among
        // its neighbours, and a layout made under other settings is only a start.
        boolean hold = laidOut == null || laidOut.settings().equals(LastFit.settingsKey(settings));
        if (laidOut != null && prior.space() != null) {
            for (int i = 0; i < ids.size(); i++) {
                Long print = laidOut.fingerprints().get(ids.get(i));
                if (print != null && !print.equals(fingerprints.get(ids.get(i)))) {
                    prior.space()[i] = null;
                    prior.map()[i] = null;
                }
            }
        }
        JsonNode lastSummary = owner.latestSummary(space, latest, warnings);
        long next = Math.max(1, lastSummary == null ? 1 : lastSummary.path("nextClusterNumber").asLong(1));
        for (String id : previous.values()) {
            next = Math.max(next, StableIds.number(id) + 1);
        }
        SampleFit.Result fit = SampleFit.fit(space, ids, x, before, settings, n, next, prior, hold, progress);
        stages.put("fit on the sample", watch.lap());

        String run = owner.newRunId(started);
        Map<String, ObservationRow.Placement> placements = new HashMap<>(ids.size() * 2);
        for (String id : ids) {
            SampleModel.Member m = fit.model().member(id);
            placements.put(id, new ObservationRow.Placement(m.clusterId(), m.probability(), m.outlierScore(), m.x(),
                    m.y(), run));
        }
        table.putPlacements(space, placements, Instant.now());
        ObjectNode plan = json.createObjectNode().put("run", run).put("space", space).put("startedAt", started.toString())
                .put("observations", n).put("sample", ids.size()).put("segments", segments)
                .put("nextClusterNumber", fit.assignment().nextNumber());
        plan.set("settings", json.valueToTree(fit.settings()));
        plan.set("sampleChanges", json.valueToTree(fit.assignment().changes()));
        plan.set("warnings", json.valueToTree(warnings));
        plan.put("warmStarted", prior.placed());
        ObjectNode members = plan.putObject("members");
        fit.model().members().forEach((id, m) -> members.set(id, json.valueToTree(m)));
        plan.set("cutoffs", json.valueToTree(fit.model().cutoffs()));
        ObjectNode previousOfSample = plan.putObject("previous");
        for (int i = 0; i < ids.size(); i++) {
            if (before[i] != null) {
                previousOfSample.put(ids.get(i), before[i]);
            }
        }
        stages.put("write sample placements", watch.lap());
        plan.set("stageSeconds", json.valueToTree(stages));
        bucket.put(work(run) + "model.vfi", IndexSnapshot.write(fit.model().index(), Instant.EPOCH), Map.of());
        bucket.put(work(run) + "plan.json", json.writeValueAsBytes(plan), Map.of());
        bucket.put(BucketLayout.mapRun(run) + PreviousLayout.FILE,
                PreviousLayout.write(json, run, PreviousLayout.inputDigest(settings, ids, x), ids, fit.clustering()), Map.of());
        return new Plan(run, space, n, ids.size(), segments);
    }

    /**
     * The first phase of a run between fits: a stratified sample of the observations the last fit
     * placed (unchanged since) becomes the model, as they are; the segments then place only the new
     * and changed ones and leave the rest where they are.
     */
    private Plan placing(String space, Instant started, int segments, LastFit last, PlacementRun.Due due,
                         Map<String, String> previous, Map<String, Long> fingerprints, Map<String, Double> stages,
                         ClusterRun.Stopwatch watch) throws IOException {
        Map<String, String> known = new HashMap<>(due.known() * 2);
        previous.forEach((id, before) -> {
            if (before != null && fingerprints.get(id).equals(last.fingerprints().get(id))) {
                known.put(id, before);
            }
        });
        java.util.Set<String> wanted = new java.util.HashSet<>(SampleFit.choose(known, settings.fitSample(),
                SampleFit.floor(settings, settings.fitSample(), known.size()), settings.seed()));
        List<String> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<SampleModel.Member> members = new ArrayList<>();
        table.forEachObservationSince(space, Instant.EPOCH, row -> {
            if (wanted.contains(row.observationId()) && row.vector() != null && PlacementRun.known(last,
                    row.observationId(), LastFit.fingerprint(row.vector()), row.placement())) {
                ObservationRow.Placement p = row.placement();
                ids.add(row.observationId());
                vectors.add(row.vector());
                members.add(new SampleModel.Member(p.clusterId(), p.x(), p.y(), p.probability(), p.outlierScore()));
            }
        });
        stages.put("read", watch.lap());
        SampleModel model = SampleModel.of(space, ids, vectors.toArray(float[][]::new), members);
        stages.put("index a sample of the placed observations", watch.lap());
        String latest = owner.latestFolder(space);
        List<String> warnings = new ArrayList<>();
        JsonNode lastSummary = owner.latestSummary(space, latest, warnings);
        long next = lastSummary == null ? 1 : lastSummary.path("nextClusterNumber").asLong(1);
        for (String id : previous.values()) {
            next = Math.max(next, StableIds.number(id) + 1);
        }
        String run = owner.newRunId(started);
        int n = previous.size();
        ObjectNode plan = json.createObjectNode().put("run", run).put("space", space).put("startedAt", started.toString())
                .put("observations", n).put("sample", ids.size()).put("segments", segments).put("nextClusterNumber", next)
                .put("placing", true).put("fittedIn", last.run()).put("placedSince", due.since());
        plan.set("settings", json.valueToTree(settings.forCollection(n)));
        plan.set("warnings", json.valueToTree(warnings));
        plan.put("warmStarted", 0);
        if (lastSummary != null) {
            plan.set("lastClusters", lastSummary.path("clusterSizes"));
        }
        ObjectNode sample = plan.putObject("members");
        model.members().forEach((id, m) -> sample.set(id, json.valueToTree(m)));
        plan.set("cutoffs", json.valueToTree(model.cutoffs()));
        plan.set("stageSeconds", json.valueToTree(stages));
        bucket.put(work(run) + "model.vfi", IndexSnapshot.write(model.index(), Instant.EPOCH), Map.of());
        bucket.put(work(run) + PreviousLayout.FILE, json.writeValueAsBytes(last.layout()), Map.of());
        bucket.put(work(run) + "plan.json", json.writeValueAsBytes(plan), Map.of());
        return new Plan(run, space, n, ids.size(), segments);
    }

    private static String previousOf(ObservationRow row) {
        return row.placement() == null ? null
                : row.placement().clusterId() == null ? StableIds.NOISE_BEFORE : row.placement().clusterId();
    }

    /** Places one segment of the observations (those the sample did not hold) and writes them. */
    JsonNode assign(String run, int segment, int segments) throws IOException {
        JsonNode plan = json.readTree(bucket.get(work(run) + "plan.json", 1L << 30).bytes());
        String space = plan.path("space").asText();
        SampleModel model = model(run, plan, space);
        boolean placing = plan.path("placing").asBoolean();
        LastFit last = placing ? LastFit.read(bucket, json, work(run)) : null;
        if (placing && last == null) {
            throw new IllegalStateException("run " + run + " places among the last fit, whose layout is missing from "
                    + work(run) + ": run its fit phase again");
        }
        Map<String, Long> fingerprints = new HashMap<>();
        long started = System.nanoTime();
        long[] counts = new long[5]; // kept, moved, into noise, out of noise, new
        Map<String, Integer> sizes = new HashMap<>();
        List<MapPoint> points = new ArrayList<>();
        int every = Math.max(1, plan.path("observations").asInt() / MAP_POINTS);
        // Written after the read, not inside it: an adapter may hold its read open (SQLite's cursor).
        Map<String, ObservationRow.Placement> decided = new HashMap<>();
        int[] placed = {0};
        table.forEachObservationInSegment(space, segment, segments, row -> {
            if (row.status() != RowStatus.OK || row.vector() == null) {
                return;
            }
            long fingerprint = LastFit.fingerprint(row.vector());
            fingerprints.put(row.observationId(), fingerprint);
            if (placing && PlacementRun.known(last, row.observationId(), fingerprint, row.placement())) {
                ObservationRow.Placement kept = row.placement(); // where the last fit or a run since left it
                counts[0]++;
                if (kept.clusterId() != null) {
                    sizes.merge(kept.clusterId(), 1, Integer::sum);
                }
                if (row.observationId().hashCode() % every == 0) {
                    points.add(new MapPoint(row.observationId(), kept.x(), kept.y(), kept.clusterId(),
                            kept.probability(), kept.outlierScore(), ClusterRun.representativeView(row)));
                }
                return;
            }
            if (!placing && model.member(row.observationId()) != null) {
                return; // placed by the fit
            }
            SampleModel.Placed p = model.place(row.vector());
            var placement = new ObservationRow.Placement(p.clusterId(), p.probability(), p.outlierScore(), p.x(), p.y(), run);
            decided.put(row.observationId(), placement);
            count(counts, previousOf(row), p.clusterId());
            if (p.clusterId() != null) {
                sizes.merge(p.clusterId(), 1, Integer::sum);
            }
            if (placed[0]++ % every == 0) {
                points.add(new MapPoint(row.observationId(), p.x(), p.y(), p.clusterId(), p.probability(),
                        p.outlierScore(), ClusterRun.representativeView(row)));
            }
        });
        Map<String, ObservationRow.Placement> batch = new HashMap<>();
        for (var e : decided.entrySet()) {
            batch.put(e.getKey(), e.getValue());
            if (batch.size() == 1000) {
                table.putPlacements(space, batch, Instant.now());
                batch.clear();
            }
        }
        table.putPlacements(space, batch, Instant.now());
        ObjectNode out = json.createObjectNode().put("run", run).put("segment", segment).put("placed", placed[0])
                .put("seconds", (System.nanoTime() - started) / 1e9);
        out.putArray("counts").add(counts[0]).add(counts[1]).add(counts[2]).add(counts[3]).add(counts[4]);
        out.set("clusterSizes", json.valueToTree(sizes));
        ObjectNode prints = out.putObject("fingerprints");
        fingerprints.forEach(prints::put);
        out.set("points", json.readTree(ClusterMap.pointsJson(points)));
        bucket.put(work(run) + "segment-" + segment + ".json", json.writeValueAsBytes(out), Map.of());
        return out;
    }

    private SampleModel model(String run, JsonNode plan, String space) throws IOException {
        var index = IndexSnapshot.read(bucket.get(work(run) + "model.vfi", Integer.MAX_VALUE - 64).bytes(), space).index();
        Map<String, SampleModel.Member> members = new HashMap<>();
        plan.path("members").fields().forEachRemaining(e -> members.put(e.getKey(),
                json.convertValue(e.getValue(), SampleModel.Member.class)));
        Map<String, Float> cutoffs = new HashMap<>();
        plan.path("cutoffs").fields().forEachRemaining(e -> cutoffs.put(e.getKey(), (float) e.getValue().asDouble()));
        return new SampleModel(index, members, cutoffs);
    }

    private static void count(long[] counts, String before, String now) {
        if (before == null) {
            counts[4]++;
        } else if (before.equals(StableIds.NOISE_BEFORE)) {
            counts[now == null ? 0 : 3]++;
        } else if (now == null) {
            counts[2]++;
        } else {
            counts[before.equals(now) ? 0 : 1]++;
        }
    }

    /** Sums the segments into the run's summary and map, and makes it the latest. */
    RunSummary finish(String run) throws IOException {
        JsonNode plan = json.readTree(bucket.get(work(run) + "plan.json", 1L << 30).bytes());
        String space = plan.path("space").asText();
        int segments = plan.path("segments").asInt();
        long[] counts = new long[5];
        Map<String, Integer> sizes = new HashMap<>();
        List<MapPoint> points = new ArrayList<>();
        Map<String, Double> stages = new LinkedHashMap<>();
        plan.path("stageSeconds").fields().forEachRemaining(e -> stages.put(e.getKey(), e.getValue().asDouble()));
        double assignSeconds = 0;
        boolean placing = plan.path("placing").asBoolean();
        JsonNode previous = plan.path("previous");
        ObjectNode fingerprints = json.createObjectNode();
        // A placing run's sample members are where they were: the segments count and draw them.
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> placing ? java.util.Collections.emptyIterator()
                : plan.path("members").fields()) {
            SampleModel.Member m = json.convertValue(e.getValue(), SampleModel.Member.class);
            count(counts, previous.has(e.getKey()) ? previous.get(e.getKey()).asText() : null, m.clusterId());
            if (m.clusterId() != null) {
                sizes.merge(m.clusterId(), 1, Integer::sum);
            }
            points.add(new MapPoint(e.getKey(), m.x(), m.y(), m.clusterId(), m.probability(), m.outlierScore(), null));
        }
        for (int s = 0; s < segments; s++) {
            JsonNode seg;
            try {
                seg = json.readTree(bucket.get(work(run) + "segment-" + s + ".json", 1L << 30).bytes());
            } catch (ObjectStore.ObjectNotFoundException e) {
                throw new IllegalStateException("segment " + s + " of run " + run + " has not been placed: run its"
                        + " assign phase first", e);
            }
            for (int c = 0; c < 5; c++) {
                counts[c] += seg.path("counts").get(c).asLong();
            }
            seg.path("clusterSizes").fields().forEachRemaining(e -> sizes.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
            fingerprints.setAll((ObjectNode) seg.path("fingerprints"));
            for (JsonNode p : seg.path("points")) {
                points.add(new MapPoint(p.path("id").asText(), (float) p.path("x").asDouble(), (float) p.path("y").asDouble(),
                        p.path("cluster").isNull() ? null : p.path("cluster").asText(), p.path("probability").asDouble(),
                        p.path("outlierScore").asDouble(), p.path("thumbnail").isNull() ? null : p.path("thumbnail").asText()));
            }
            assignSeconds = Math.max(assignSeconds, seg.path("seconds").asDouble());
        }
        stages.put("place the rest (slowest segment)", Math.round(assignSeconds * 1000) / 1000.0);
        ClusterChanges changes;
        if (placing) {
            List<String> deaths = new ArrayList<>();
            plan.path("lastClusters").fieldNames().forEachRemaining(id -> {
                if (!sizes.containsKey(id)) {
                    deaths.add(id);
                }
            });
            changes = new ClusterChanges(counts[0], counts[1], counts[2], counts[3], counts[4], List.of(), deaths,
                    List.of(), List.of());
        } else {
            ClusterChanges sample = json.convertValue(plan.path("sampleChanges"), ClusterChanges.class);
            changes = new ClusterChanges(counts[0], counts[1], counts[2], counts[3], counts[4], sample.births(),
                    sample.deaths(), sample.splits(), sample.merges());
        }
        int n = plan.path("observations").asInt();
        long noise = n - sizes.values().stream().mapToLong(Integer::longValue).sum();
        Map<String, Integer> sorted = new LinkedHashMap<>();
        sizes.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey(StableIds::compareIds))).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        ClusterSettings used = json.convertValue(plan.path("settings"), ClusterSettings.class);
        List<String> warnings = new ArrayList<>(json.convertValue(plan.path("warnings"),
                json.getTypeFactory().constructCollectionType(List.class, String.class)));
        if (!placing) {
            int sample = plan.path("sample").asInt();
            // Past four times the sample the floor under the sample's cluster size binds (SampleFit):
            // say what the smallest cluster is in the whole, and how to find smaller ones.
            warnings.add(String.format(java.util.Locale.ROOT, "fitted on a sample of %d of the %d observations"
                            + " (viewfold.cluster.fit-sample); the rest placed by their nearest sample members; the"
                            + " map draws %d of them; clusters of at least %d in the sample, about %d observations"
                            + " in the whole (a larger fit-sample finds smaller ones)", sample, n, points.size(),
                    used.minClusterSize(), Math.round((double) used.minClusterSize() * n / Math.max(1, sample))));
        }
        Map<String, String> colours = MapColours.of(points);
        byte[] pointsJson = ClusterMap.pointsJson(points);
        byte[] page = ClusterMap.page(run, space, pointsJson, colours);
        RunSummary summary = new RunSummary(run, space, plan.path("startedAt").asText(),
                Math.round(stages.values().stream().mapToDouble(Double::doubleValue).sum() * 1000) / 1000.0, stages, used,
                n, sorted.size(), noise, n == 0 ? 0 : (double) noise / n, changes.keptFraction(), changes, sorted,
                plan.path("nextClusterNumber").asLong(), BucketLayout.mapRun(run) + "index.html", warnings, colours,
                plan.path("warmStarted").asInt(), placing ? plan.path("fittedIn").asText() : run,
                placing ? plan.path("placedSince").asInt() : 0);
        byte[] summaryJson = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary);
        String latest = owner.latestFolder(space);
        // The layout the next run reads: the fit's (or, between fits, the last fit's) positions, how
        // much has been placed since, and every observation's fingerprint as this run saw it.
        ObjectNode layout = (ObjectNode) json.readTree(bucket.get((placing ? work(run) : BucketLayout.mapRun(run))
                + PreviousLayout.FILE, PreviousLayout.MAX_BYTES).bytes());
        layout.set("fit", placing ? ((ObjectNode) layout.path("fit")).put("placedSince", plan.path("placedSince").asInt())
                : LastFit.fitNode(json, run, n, 0, LastFit.settingsKey(settings)));
        layout.set("fingerprints", fingerprints);
        byte[] layoutJson = json.writeValueAsBytes(layout);
        owner.publish(run, latest, layoutJson, pointsJson, page, summaryJson);
        return summary;
    }
}
