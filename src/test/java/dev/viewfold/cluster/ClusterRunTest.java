package dev.viewfold.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.cluster.hdbscan.AdjustedRandIndex;
import dev.viewfold.cluster.umap.Umap;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.testing.Chromium;
import dev.viewfold.testing.LocalEncoding;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster runs over real embeddings: half of COIL-100 (50 objects × 72 views), every image its own
 * observation, through the normal encode path into SQLite. The runs go in order: a first run, the same
 * input again (every id kept), then 5% more observations (≥ 95% of the old ones keep their id).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRunTest {

    @TempDir
    static Path data;

    static LocalEncoding local;
    static LocalObjectStore bucket;
    static String space;
    static List<EncodeRequest> base = new ArrayList<>();
    static List<EncodeRequest> extra = new ArrayList<>();
    static Map<String, Integer> objectOf = new HashMap<>();
    static Map<String, String> firstIds = new HashMap<>();
    static RunSummary first;
    static RunSummary lastFit;

    @BeforeAll
    static void encode() throws Exception {
        local = new LocalEncoding(Shared.mobilenet(), data);
        space = ModelSpace.of(Shared.mobilenet());
        bucket = new LocalObjectStore(data.resolve("bucket"));
        Random random = new Random(3);
        for (String line : Files.readAllLines(Shared.dataset("coil100/labels.csv")).subList(1, 7201)) {
            String[] f = line.split(",");
            int object = Integer.parseInt(f[2].substring(3));
            if (object % 2 == 1) {
                continue;
            }
            var request = new EncodeRequest(f[0], f[0], "0");
            objectOf.put(f[0], object);
            (random.nextDouble() < 0.05 / 1.05 ? extra : base).add(request);
        }
        local.encoder.encode(new LocalObjectStore(Shared.dataset("coil100")), base);
    }

    static ClusterRun run() {
        return new ClusterRun(local.table, bucket, new ObjectMapper(), ClusterSettings.defaults(),
                Clock.fixed(Instant.parse("2026-11-24T08:00:00Z"), ZoneOffset.UTC));
    }

    static Map<String, ObservationRow> rows() {
        Map<String, ObservationRow> rows = new HashMap<>();
        local.table.forEachObservationSince(space, Instant.EPOCH, r -> rows.put(r.observationId(), r));
        return rows;
    }

    @Test
    @Order(1)
    void aFirstRunFindsTheObjectsAndPlacesEveryObservation() throws Exception {
        List<String> stages = new ArrayList<>();
        first = run().run(space, (stage, f) -> {
            synchronized (stages) {
                if (!stages.contains(stage)) {
                    stages.add(stage);
                }
            }
        });
        assertEquals(base.size(), first.observations());
        assertTrue(stages.containsAll(List.of("read", "neighbours", "hdbscan", "write")), "progress: " + stages);
        Map<String, ObservationRow> rows = rows();
        int[] truth = new int[rows.size()];
        int[] found = new int[rows.size()];
        Map<String, Integer> numbers = new HashMap<>();
        int i = 0;
        for (ObservationRow row : rows.values()) {
            ObservationRow.Placement p = row.placement();
            assertNotNull(p, "every observation placed: " + row.observationId());
            assertEquals(first.run(), p.run());
            assertTrue(p.probability() >= 0 && p.probability() <= 1 && p.outlierScore() >= 0 && p.outlierScore() <= 1);
            truth[i] = objectOf.get(row.observationId());
            found[i++] = p.clusterId() == null ? -1 : numbers.computeIfAbsent(p.clusterId(), k -> numbers.size());
            firstIds.put(row.observationId(), p.clusterId());
        }
        double ari = AdjustedRandIndex.of(truth, found);
        assertTrue(ari > 0.9, "ARI against the 50 objects: " + ari + ", " + first.clusters() + " clusters");
        assertTrue(first.clusters() >= 40 && first.clusters() <= 60, first.clusters() + " clusters for 50 objects");
        assertEquals(first.clusters(), first.changes().births().size());
        assertEquals(0, first.warmStarted());
        assertEquals(first.clusters(), first.colours().size(), "every cluster has its colour");

        // The map and the summary, in the run's folder and as latest.
        JsonNode points = new ObjectMapper().readTree(bucket.get("maps/" + first.run() + "/points.json", 1 << 26).bytes());
        assertEquals(base.size(), points.size());
        JsonNode p0 = points.get(0);
        for (String field : List.of("id", "x", "y", "cluster", "probability", "outlierScore", "thumbnail")) {
            assertTrue(p0.has(field), "point field " + field + ": " + p0);
        }
        assertTrue(p0.get("thumbnail").asText().startsWith("file:"), p0.toString());
        String page = new String(bucket.get("maps/latest/index.html", 1 << 26).bytes());
        assertTrue(page.contains(first.run()) && page.contains(p0.get("id").asText()), "the page carries its points");
        JsonNode summary = new ObjectMapper().readTree(bucket.get("maps/latest/summary.json", 1 << 20).bytes());
        assertEquals(first.run(), summary.get("run").asText());
        assertEquals(first.nextClusterNumber(), summary.get("nextClusterNumber").asLong());
        assertTrue(summary.get("stageSeconds").has("umap+hdbscan"));
    }

    @Test
    @Order(2)
    void theSameInputKeepsEveryId() throws Exception {
        // The latest summary cut short (a kill or a full disk while it was written by an older build):
        // reported, and the run goes on from the first run's own folder.
        Path latest = data.resolve("bucket/maps/latest/summary.json");
        Files.writeString(latest, Files.readString(latest).substring(0, 40));
        RunSummary again = run().run(space, Umap.Progress.NONE);
        assertEquals(1, again.warnings().size(), again.warnings().toString());
        assertTrue(again.warnings().get(0).contains("cluster numbers continue from maps/" + first.run() + "/summary.json"),
                again.warnings().toString());
        assertTrue(!again.run().equals(first.run()), "a second run in the same second gets its own folder");
        assertEquals(first.run(), again.fittedIn(), "nothing new: the first fit's clusters stand");
        assertEquals(0, again.placedSinceFit());
        assertEquals(1.0, again.keptFraction());
        assertEquals(List.of(), again.changes().births());
        assertEquals(List.of(), again.changes().deaths());
        rows().forEach((id, row) -> assertEquals(firstIds.get(id), row.clusterId(), id));
        assertEquals(first.nextClusterNumber(), again.nextClusterNumber());

        RunSummary refit = run().run(space, Umap.Progress.NONE, true);
        assertEquals(refit.run(), refit.fittedIn(), "asked to fit again, it does");
        assertEquals(base.size(), refit.warmStarted(), "nothing changed: the first run's layouts stand");
        assertEquals(1.0, refit.keptFraction());
        rows().forEach((id, row) -> assertEquals(firstIds.get(id), row.clusterId(), id));
        lastFit = refit;
    }

    @Test
    @Order(3)
    void fivePercentMoreObservationsKeepTheIdsOfTheRest() throws Exception {
        local.encoder.encode(new LocalObjectStore(Shared.dataset("coil100")), extra);
        RunSummary placed = run().run(space, Umap.Progress.NONE);
        assertEquals(base.size() + extra.size(), placed.observations());
        assertEquals(extra.size(), placed.changes().newObservations());
        assertTrue(extra.size() <= 0.10 * base.size(), "within refit-after: " + extra.size());
        assertEquals(lastFit.run(), placed.fittedIn(), "a few new observations are placed among the fitted clusters");
        assertEquals(extra.size(), placed.placedSinceFit());
        assertEquals(1.0, placed.keptFraction(), "placing new observations moves no old one");
        Map<String, ObservationRow> rows = rows();
        firstIds.forEach((id, cluster) -> assertEquals(cluster, rows.get(id).clusterId(), id));
        // Each new view goes where most of its object's other views are.
        Map<Integer, Map<String, Integer>> clustersOfObject = new HashMap<>();
        firstIds.forEach((id, cluster) -> clustersOfObject.computeIfAbsent(objectOf.get(id), o -> new HashMap<>())
                .merge(String.valueOf(cluster), 1, Integer::sum));
        int agree = 0;
        for (EncodeRequest e : extra) {
            String usual = clustersOfObject.get(objectOf.get(e.key())).entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            agree += usual.equals(String.valueOf(rows.get(e.key()).clusterId())) ? 1 : 0;
        }
        assertTrue(agree >= 0.9 * extra.size(), agree + " of " + extra.size() + " new views joined their object's usual cluster");

        RunSummary grown = run().run(space, Umap.Progress.NONE, true);
        assertEquals(grown.run(), grown.fittedIn());
        assertEquals(base.size(), grown.warmStarted(), "the fitted observations start where the fit put them");
        long kept = rows().entrySet().stream().filter(e -> firstIds.containsKey(e.getKey()))
                .filter(e -> java.util.Objects.equals(firstIds.get(e.getKey()), e.getValue().clusterId())).count();
        double fraction = kept / (double) firstIds.size();
        assertTrue(fraction >= 0.95, "ids kept for " + fraction + " of the old observations: " + grown.changes());
        for (String born : grown.changes().births()) {
            assertTrue(StableIds.number(born) >= first.nextClusterNumber(), "a new cluster never reuses an id: " + born);
        }
    }

    @Test
    @Order(4)
    void theMapPageDrawsEveryPointInHeadlessChromium() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Chromium.available() || System.getenv("CI") != null,
                "needs Debian's chromium (.ci/run installs it)");
        Path page = data.resolve("bucket/maps/latest/index.html");
        int n = base.size() + extra.size();
        String dom = Chromium.dumpDom(page);
        assertTrue(dom.contains("data-drawn=\"" + n + "\"") && dom.contains("data-points=\"" + n + "\""),
                "every point drawn: " + dom.substring(dom.indexOf("<p id=\"status\""), dom.indexOf("<p id=\"status\"") + 200));
        // A screenshot, kept for a person to look at (target/cluster-map.png), and checked for colour.
        Path png = Path.of("target/cluster-map.png");
        Chromium.screenshot(page, png, 1200, 800);
        var image = javax.imageio.ImageIO.read(png.toFile());
        java.util.Set<Integer> hues = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth() - 260; x += 2) {
                int rgb = image.getRGB(x, y);
                float[] hsb = java.awt.Color.RGBtoHSB((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, null);
                if (hsb[1] > 0.4f && hsb[2] > 0.2f) {
                    hues.add(Math.round(hsb[0] * 36));
                }
            }
        }
        // The run's palette of twenty (MapColours) spans at least ten of these 36 hue bins.
        assertTrue(hues.size() >= 10, "clusters drawn in many colours, found " + hues.size() + " hues");
    }

    /**
     * More observations than the fit sample: the run in steps as the state machine drives it (fit,
     * three segments placed, finish) clusters a sample of 1,000, places the rest, and keeps the ids.
     */
    @Test
    @Order(5)
    void aRunOverMoreThanTheFitSampleFitsASampleAndPlacesTheRestInSegments() throws Exception {
        Map<String, String> before = new HashMap<>();
        rows().forEach((id, row) -> before.put(id, row.clusterId()));
        ClusterRun sampled = new ClusterRun(local.table, bucket, new ObjectMapper(),
                ClusterSettings.defaults().withFitSample(1_000), Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC));
        ClusterRun.Phase fit = sampled.fitPhase(space, 3, true, Umap.Progress.NONE);
        assertTrue(fit.assign());
        assertEquals(3, fit.segments().size());
        assertEquals(new ClusterRun.Segment("assign", fit.run(), 2, 3), fit.segments().get(2));
        long placedBySegments = 0;
        for (ClusterRun.Segment s : fit.segments()) {
            placedBySegments += sampled.assignPhase(s.run(), s.segment(), s.totalSegments()).path("placed").asLong();
        }
        RunSummary summary = sampled.finishPhase(fit.run());
        int n = base.size() + extra.size();
        assertEquals(n, summary.observations());
        assertEquals(n - 1_000, placedBySegments, "the segments place every observation the sample did not hold");
        assertTrue(summary.warnings().stream().anyMatch(w -> w.startsWith("fitted on a sample of 1000 of the " + n)
                        && w.contains("clusters of at least " + summary.settings().minClusterSize() + " in the sample, about "
                        + Math.round(summary.settings().minClusterSize() * n / 1000.0) + " observations in the whole")),
                summary.warnings().toString());
        Map<String, ObservationRow> rows = rows();
        int[] truth = new int[rows.size()];
        int[] found = new int[rows.size()];
        Map<String, Integer> numbers = new HashMap<>();
        int i = 0;
        long kept = 0;
        for (ObservationRow row : rows.values()) {
            assertEquals(fit.run(), row.placement().run(), "placed by this run: " + row.observationId());
            truth[i] = objectOf.get(row.observationId());
            found[i++] = row.clusterId() == null ? -1 : numbers.computeIfAbsent(row.clusterId(), k -> numbers.size());
            kept += java.util.Objects.equals(before.get(row.observationId()), row.clusterId()) ? 1 : 0;
        }
        double ari = AdjustedRandIndex.of(truth, found);
        assertTrue(ari > 0.85, "ARI against the 50 objects: " + ari + ", " + summary.clusters() + " clusters");
        // The sample's rows hold the whole run's layout, so the sampled fit cuts as the whole run did
        // (letting them settle on the sample's graph: 0.91 and 0.90 below).
        int[] whole = new int[rows.size()];
        i = 0;
        for (ObservationRow row : rows.values()) {
            String c = before.get(row.observationId());
            whole[i++] = c == null ? -1 : numbers.computeIfAbsent("before " + c, k -> numbers.size());
        }
        double agreement = AdjustedRandIndex.noiseApart(whole, found);
        assertTrue(agreement >= 0.94, "ARI against the whole run before it, noise apart: " + agreement);
        assertTrue(kept / (double) n >= 0.93, "ids kept from the whole run: " + kept + " of " + n + ", " + summary.changes());
        assertEquals(summary.keptFraction(), kept / (double) n, 0.01, "the summary counts what the rows say");
        JsonNode points = new ObjectMapper().readTree(bucket.get("maps/latest/points.json", 1 << 26).bytes());
        assertEquals(n, points.size(), "a collection this size is drawn whole");

        // The next sampled run, in one process (segments on threads): nothing changed, nothing moves.
        ClusterRun next = new ClusterRun(local.table, bucket, new ObjectMapper(), ClusterSettings.defaults().withFitSample(1_000),
                Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));
        RunSummary again = next.run(space, Umap.Progress.NONE);
        assertEquals(fit.run(), again.fittedIn(), "placed among the sampled fit's clusters");
        assertEquals(1.0, again.keptFraction(), again.changes().toString());
        assertEquals(n, again.observations());
        rows().forEach((id, row) -> assertEquals(rows.get(id).clusterId(), row.clusterId(), id));

        // One observation's vector changes (a refold): only it is placed again; then a sampled fit again.
        ObservationRow moved = rows.values().iterator().next();
        float[] other = rows.values().stream().skip(1).findFirst().orElseThrow().vector();
        local.table.putObservation(new ObservationRow(moved.observationId(), space, moved.status(), null, other,
                moved.strategy(), moved.views(), moved.dispersion(), moved.explanation(), moved.inputVersion() + 1,
                moved.labels(), moved.placement(), Instant.now()));
        RunSummary placed = next.run(space, Umap.Progress.NONE);
        assertEquals(fit.run(), placed.fittedIn());
        assertEquals(1, placed.placedSinceFit());
        assertEquals(n - 1, placed.changes().kept() - (java.util.Objects.equals(moved.clusterId(),
                rows().get(moved.observationId()).clusterId()) ? 1 : 0), placed.changes().toString());
        RunSummary refit = next.run(space, Umap.Progress.NONE, true);
        assertEquals(refit.run(), refit.fittedIn());
        // The refit holds the last sampled fit's layout (letting it settle kept 0.96).
        assertTrue(refit.keptFraction() >= 0.97, "ids kept between sampled fits: " + refit.keptFraction() + ", " + refit.changes());
    }
}
