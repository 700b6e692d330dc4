package dev.viewfold.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.cluster.umap.Umap;
import dev.viewfold.store.BucketLayout;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.VectorTable;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run between fits (assign-then-refit): while few observations are new, changed or removed since
 * the last UMAP + HDBSCAN fit, the ones that are get a cluster by their nearest placed neighbours'
 * vote ({@link SampleModel}) and every other observation keeps its cluster and map position. A fit
 * moves clusters wherever a new layout happens to fall; placing a few does not, so ids hold between
 * runs. Once the share placed since the fit passes {@link ClusterSettings#refitAfter()} (or the
 * settings changed), the next run fits again, warm-started from that fit's layout.
 */
final class PlacementRun {

    private final ClusterRun owner;
    private final VectorTable table;
    private final ObjectStore bucket;
    private final ObjectMapper json;
    private final LastFit last;
    private final List<ObservationRow> known;
    private final List<ObservationRow> fresh;
    private final int removed;

    private PlacementRun(ClusterRun owner, VectorTable table, ObjectStore bucket, ObjectMapper json, LastFit last,
                         List<ObservationRow> known, List<ObservationRow> fresh, int removed) {
        this.owner = owner;
        this.table = table;
        this.bucket = bucket;
        this.json = json;
        this.last = last;
        this.known = known;
        this.fresh = fresh;
        this.removed = removed;
    }

    /** How far the collection is from the last fit: what a placing run would place, and what it keeps. */
    record Due(int known, int fresh, int removed, int since) {
    }

    /**
     * Whether a run may place instead of fitting: a fit recorded with these settings, something it
     * placed still there, and no more new, changed and removed observations since it than the settings
     * allow; null when a fit is due.
     *
     * @param fingerprints every observation's vector fingerprint, by id
     * @param placed       whether an observation carries a placement (a row a crash left unplaced is new)
     */
    static Due due(LastFit last, Map<String, Long> fingerprints, java.util.function.Predicate<String> placed,
                   ClusterSettings settings) {
        if (last == null || settings.refitAfter() <= 0 || !LastFit.settingsKey(settings).equals(last.settings())) {
            return null;
        }
        int known = 0;
        for (var e : fingerprints.entrySet()) {
            if (e.getValue().equals(last.fingerprints().get(e.getKey())) && placed.test(e.getKey())) {
                known++;
            }
        }
        int removed = 0;
        for (String id : last.fingerprints().keySet()) {
            if (!fingerprints.containsKey(id)) {
                removed++;
            }
        }
        int fresh = fingerprints.size() - known;
        long since = (long) last.placedSince() + fresh + removed;
        if (known == 0 || since > settings.refitAfter() * last.observations()) {
            return null;
        }
        return new Due(known, fresh, removed, (int) since);
    }

    /** Whether an observation is where the last fit (or a placing run since) left it. */
    static boolean known(LastFit last, String id, long fingerprint, ObservationRow.Placement placement) {
        Long before = last.fingerprints().get(id);
        return placement != null && before != null && before == fingerprint;
    }

    /** The placing run for these rows, or null when a fit is due ({@link #due}). */
    static PlacementRun ifDue(ClusterRun owner, VectorTable table, ObjectStore bucket, ObjectMapper json,
                              LastFit last, List<ObservationRow> rows, Map<String, Long> fingerprints,
                              ClusterSettings settings) {
        Map<String, ObservationRow> byId = new HashMap<>(rows.size() * 2);
        rows.forEach(r -> byId.put(r.observationId(), r));
        Due due = due(last, fingerprints, id -> byId.get(id).placement() != null, settings);
        if (due == null) {
            return null;
        }
        List<ObservationRow> known = new ArrayList<>();
        List<ObservationRow> fresh = new ArrayList<>();
        for (ObservationRow row : rows) {
            (known(last, row.observationId(), fingerprints.get(row.observationId()), row.placement()) ? known : fresh)
                    .add(row);
        }
        return new PlacementRun(owner, table, bucket, json, last, known, fresh, due.removed());
    }

    RunSummary run(String space, Instant started, String latest, List<String> warnings,
                   Map<String, Long> fingerprints, ClusterSettings used, Umap.Progress progress) throws IOException {
        ClusterRun.Stopwatch watch = new ClusterRun.Stopwatch();
        Map<String, Double> stages = new LinkedHashMap<>();
        String run = owner.newRunId(started);
        progress.report("place new observations", 0);
        Map<String, ObservationRow.Placement> placements = new HashMap<>(fresh.size() * 2);
        if (!fresh.isEmpty()) {
            List<String> ids = new ArrayList<>(known.size());
            float[][] vectors = new float[known.size()][];
            List<SampleModel.Member> members = new ArrayList<>(known.size());
            for (int i = 0; i < known.size(); i++) {
                ObservationRow row = known.get(i);
                ObservationRow.Placement p = row.placement();
                ids.add(row.observationId());
                vectors[i] = row.vector();
                members.add(new SampleModel.Member(p.clusterId(), p.x(), p.y(), p.probability(), p.outlierScore()));
            }
            SampleModel model = SampleModel.of(space, ids, vectors, members);
            stages.put("index the placed observations", watch.lap());
            for (ObservationRow row : fresh) {
                SampleModel.Placed p = model.place(row.vector());
                placements.put(row.observationId(), new ObservationRow.Placement(p.clusterId(), p.probability(),
                        p.outlierScore(), p.x(), p.y(), run));
            }
            table.putPlacements(space, placements, Instant.now());
        }
        progress.report("place new observations", 1);
        stages.put("place new observations", watch.lap());

        long kept = known.size();
        long moved = 0;
        long intoNoise = 0;
        long outOfNoise = 0;
        long added = 0;
        List<MapPoint> points = new ArrayList<>(known.size() + fresh.size());
        for (ObservationRow row : known) {
            ObservationRow.Placement p = row.placement();
            points.add(new MapPoint(row.observationId(), p.x(), p.y(), p.clusterId(), p.probability(), p.outlierScore(),
                    ClusterRun.representativeView(row)));
        }
        for (ObservationRow row : fresh) {
            ObservationRow.Placement p = placements.get(row.observationId());
            points.add(new MapPoint(row.observationId(), p.x(), p.y(), p.clusterId(), p.probability(), p.outlierScore(),
                    ClusterRun.representativeView(row)));
            ObservationRow.Placement before = row.placement();
            if (before == null) {
                added++;
            } else if (before.clusterId() == null) {
                if (p.clusterId() == null) {
                    kept++;
                } else {
                    outOfNoise++;
                }
            } else if (p.clusterId() == null) {
                intoNoise++;
            } else if (before.clusterId().equals(p.clusterId())) {
                kept++;
            } else {
                moved++;
            }
        }
        String[] clusterIds = points.stream().map(MapPoint::clusterId).toArray(String[]::new);
        Map<String, Integer> sizes = ClusterRun.clusterSizes(clusterIds);
        JsonNode lastSummary = owner.latestSummary(space, latest, warnings);
        List<String> deaths = new ArrayList<>();
        if (lastSummary != null) {
            lastSummary.path("clusterSizes").fieldNames().forEachRemaining(id -> {
                if (!sizes.containsKey(id)) {
                    deaths.add(id);
                }
            });
        }
        long next = lastSummary == null ? 1 : lastSummary.path("nextClusterNumber").asLong(1);
        for (String id : sizes.keySet()) {
            next = Math.max(next, StableIds.number(id) + 1);
        }
        ClusterChanges changes = new ClusterChanges(kept, moved, intoNoise, outOfNoise, added, List.of(), deaths,
                List.of(), List.of());
        int since = last.placedSince() + fresh.size() + removed;

        Map<String, String> colours = MapColours.of(points);
        byte[] pointsJson = ClusterMap.pointsJson(points);
        byte[] page = ClusterMap.page(run, space, pointsJson, colours);
        ObjectNode layout = last.layout().deepCopy();
        ((ObjectNode) layout.path("fit")).put("placedSince", since);
        ObjectNode prints = layout.putObject("fingerprints");
        fingerprints.forEach(prints::put);
        byte[] layoutJson = json.writeValueAsBytes(layout);
        stages.put("map", watch.lap());
        int n = points.size();
        long noise = n - sizes.values().stream().mapToLong(Integer::longValue).sum();
        RunSummary summary = new RunSummary(run, space, started.toString(),
                Math.round(stages.values().stream().mapToDouble(Double::doubleValue).sum() * 1000) / 1000.0, stages,
                used, n, sizes.size(), noise, n == 0 ? 0 : (double) noise / n, changes.keptFraction(), changes, sizes,
                next, BucketLayout.mapRun(run) + "index.html", warnings, colours, 0, last.run(), since);
        byte[] summaryJson = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary);
        owner.publish(run, latest, layoutJson, pointsJson, page, summaryJson);
        return summary;
    }
}
