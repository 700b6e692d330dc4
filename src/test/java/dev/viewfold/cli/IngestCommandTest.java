package dev.viewfold.cli;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import dev.viewfold.testing.BadImages;
import dev.viewfold.testing.Shared;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local main job as a user runs it: commands, exit codes, what they print, what lands in the table. */
@QuarkusMainTest
@TestProfile(IngestCommandTest.TempData.class)
class IngestCommandTest {

    /** A fixed path: the profile is read in another class loader, so a random one would differ. */
    static final Path DATA = Path.of("target/test-data/cli").toAbsolutePath();

    public static class TempData implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Labelled rows of an earlier run would change what train can learn: start from an empty folder.
            dev.viewfold.testing.TestData.wipeOnce(DATA, "test.cli.data.wiped");
            // As ViewfoldMain.main sets them: no HTTP port, the command loads the model itself.
            return Map.of("viewfold.data", DATA.toString(), "viewfold.encode.load-at-start", "false",
                    "quarkus.http.host-enabled", "false");
        }
    }

    @Test
    void aFolderOfGoodAndBadFilesIsIngestedAndExitsZero(QuarkusMainLauncher launcher) throws IOException {
        Path folder = Files.createTempDirectory("viewfold-bad-input");
        Path images = Files.createDirectories(folder.resolve("images/batch"));
        Files.copy(Shared.dataset("coil100/images/obj3__0.jpg"), images.resolve("good1.jpg"));
        Files.copy(Shared.dataset("flowers12/train/daisy/image_0801.jpg"), images.resolve("good2.jpg"));
        Files.write(images.resolve("truncated.jpg"), BadImages.truncatedJpeg(
                Files.readAllBytes(Shared.dataset("caltech101/images/airplanes/image_0002.jpg")), 0.5));
        Files.write(images.resolve("notes.jpg"), BadImages.textFile());
        Files.write(images.resolve("zero.jpg"), new byte[0]);
        BadImages.pngBomb(images.resolve("bomb.png"), 20000, 20000);
        Files.writeString(folder.resolve("README.txt"), "not an image, not even named like one");

        LaunchResult result = launcher.launch("ingest", folder.toString());

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(result.getOutput().contains("ingest: 2 encoded, 0 unchanged, 4 failed, 1 observations"), result.getOutput());
        String err = result.getErrorOutput();
        assertTrue(err.contains("truncated.jpg: truncated JPEG"), err);
        assertTrue(err.contains("notes.jpg: not an image"), err);
        assertTrue(err.contains("zero.jpg: empty file (0 bytes)"), err);
        assertTrue(err.contains("bomb.png: image too large: 20000×20000"), err);

        List<ImageRow> rows = rows(images);
        assertEquals(6, rows.size());
        assertEquals(4, rows.stream().filter(r -> r.status() == RowStatus.FAILED).map(ImageRow::error).distinct().count());
    }

    @Test
    void ingestingWithTheDatasetManifestTwiceEncodesOnce(QuarkusMainLauncher launcher) throws IOException {
        // A small copy of COIL-100 (4 objects × 6 views) with its manifest rows.
        Path folder = Files.createTempDirectory("viewfold-coil");
        String run = "run" + System.nanoTime() + "-"; // observation ids are global; the data folder outlives a run
        List<String> manifest = new ArrayList<>(List.of("path,label,observation_id,view"));
        for (int obj : new int[] {11, 22, 33, 44}) {
            for (int angle = 0; angle < 360; angle += 60) {
                String path = "images/obj" + obj + "__" + angle + ".jpg";
                Files.createDirectories(folder.resolve("images"));
                Files.copy(Shared.dataset("coil100/" + path), folder.resolve(path));
                manifest.add(path + ",obj0" + obj + "," + run + "obj0" + obj + "," + angle);
            }
        }
        Path csv = folder.resolve("labels.csv");
        Files.write(csv, manifest);
        Files.copy(Shared.dataset("coil100/images/obj55__0.jpg"), folder.resolve("images/unlisted.jpg"));

        LaunchResult first = launcher.launch("ingest", folder.toString(), "--manifest", csv.toString());
        assertEquals(0, first.exitCode(), first.getErrorOutput());
        assertTrue(first.getOutput().contains("ingest: 24 encoded, 0 unchanged, 0 failed, 4 observations"), first.getOutput());
        assertTrue(first.getErrorOutput().contains("ingest: 1 image under " + folder.toAbsolutePath().normalize()
                + " not in the manifest, left alone"), first.getErrorOutput());

        LaunchResult second = launcher.launch("ingest", folder.toString(), "--manifest", csv.toString());
        assertTrue(second.getOutput().contains("ingest: 0 encoded, 24 unchanged, 0 failed, 4 observations"), second.getOutput());

        try (var table = new SqliteVectorTable(DATA)) {
            String space = table.spaces().get(0);
            var folded = table.findObservation(space, run + "obj022").orElseThrow();
            assertEquals(6, folded.viewCount(), "encode folded the observation in process");
            assertEquals("robust", folded.strategy());
            assertEquals(List.of("0", "60", "120", "180", "240", "300"),
                    folded.views().stream().map(v -> v.viewId()).toList());
        }

        // The search side of the same data: export, index snapshots, near-duplicates.
        Path out = Files.createTempDirectory("viewfold-export");
        LaunchResult export = launcher.launch("export", out.toString(), "--target", "observations");
        assertEquals(0, export.exitCode(), export.getErrorOutput());
        assertTrue(export.getOutput().contains(" observations × 1280 dimensions -> " + out.resolve("vectors.npy")),
                export.getOutput());
        assertTrue(Files.readAllLines(out.resolve("rows.csv")).stream().anyMatch(l -> l.contains(run + "obj022")));
        LaunchResult index = launcher.launch("index");
        assertEquals(0, index.exitCode(), index.getErrorOutput());
        assertTrue(index.getOutput().contains("/index/mobilenetv2-12-int8@"), index.getOutput());
        assertTrue(index.getOutput().contains("images.vfi ("), index.getOutput());
        LaunchResult duplicates = launcher.launch("duplicates", "--threshold", "0.9999");
        assertEquals(0, duplicates.exitCode(), duplicates.getErrorOutput());
        assertTrue(duplicates.getErrorOutput().contains("groups at cosine >= 0.9999"), duplicates.getErrorOutput());
        assertEquals(2, launcher.launch("duplicates", "--threshold", "high").exitCode());
        assertEquals(2, launcher.launch("export").exitCode());

        LaunchResult cluster = launcher.launch("cluster");
        assertEquals(0, cluster.exitCode(), cluster.getErrorOutput());
        assertTrue(cluster.getOutput().matches("(?s).*cluster: \\d+ observations, \\d+ clusters, .*"), cluster.getOutput());
        assertTrue(cluster.getOutput().matches("(?s).*cluster: map file:.*/maps/\\d{8}T\\d{6}Z/index.html.*"),
                cluster.getOutput());
        assertTrue(cluster.getErrorOutput().contains("cluster: hdbscan"), "a line per stage: " + cluster.getErrorOutput());
        LaunchResult badCluster = launcher.launch("cluster", "--fast");
        assertEquals(2, badCluster.exitCode());
        assertTrue(badCluster.getErrorOutput().contains("unknown option '--fast'"), badCluster.getErrorOutput());

        // The manifest's label column labelled each object: classify places a new view among them.
        LaunchResult classify = launcher.launch("classify", Shared.dataset("coil100/images/obj22__90.jpg").toString());
        assertEquals(0, classify.exitCode(), classify.getErrorOutput());
        assertTrue(classify.getOutput().contains("\"group\" : \"obj022\""), classify.getOutput());
        LaunchResult badMethod = launcher.launch("classify", Shared.dataset("coil100/images/obj22__90.jpg").toString(),
                "--method", "vote");
        assertEquals(2, badMethod.exitCode(), "a wrong option is a command-line mistake");
        assertTrue(badMethod.getErrorOutput().contains("unknown method 'vote'"), badMethod.getErrorOutput());
        assertEquals(2, launcher.launch("classify", "no-such.jpg").exitCode());
        // One observation per group cannot teach a head what makes two observations alike: said plainly.
        LaunchResult train = launcher.launch("train", "--epochs", "5");
        assertEquals(1, train.exitCode(), train.getOutput());
        assertTrue(train.getErrorOutput().contains("train: training a head needs at least 3 groups with 2 or more"),
                train.getErrorOutput());
        assertEquals(2, launcher.launch("train", "--loss", "hinge").exitCode());
        // Whitening needs no labels, only observations of several views: 4 objects × 6 angles here.
        LaunchResult whiten = launcher.launch("train", "--head", "whiten");
        assertEquals(0, whiten.exitCode(), whiten.getErrorOutput());
        assertTrue(whiten.getOutput().matches("(?s).*train: whitening head [0-9a-f]+ \\(1280-d\\) from \\d+ views of \\d+"
                + " observations, \\d+ flagged views left out.*"), whiten.getOutput());
        assertTrue(whiten.getOutput().contains("train: warning: only 4 observations have two or more views"),
                whiten.getOutput());
        java.util.regex.Matcher headSpace = java.util.regex.Pattern.compile("train: space (\\S+):").matcher(whiten.getOutput());
        assertTrue(headSpace.find(), whiten.getOutput());
        // export takes --space: a head's vectors, in the head's own dimension.
        Path headOut = Files.createTempDirectory("viewfold-export-head");
        LaunchResult headExport = launcher.launch("export", headOut.toString(), "--space", headSpace.group(1));
        assertEquals(0, headExport.exitCode(), headExport.getErrorOutput());
        assertTrue(headExport.getOutput().contains(" observations × 1280 dimensions"), headExport.getOutput());
        LaunchResult nowhere = launcher.launch("export", headOut.toString(), "--space", "nowhere@1");
        assertEquals(2, nowhere.exitCode());
        assertTrue(nowhere.getErrorOutput().contains("unknown space 'nowhere@1'"), nowhere.getErrorOutput());
        assertEquals(2, launcher.launch("train", "--head", "whiten", "--dim", "64").exitCode());
        assertEquals(2, launcher.launch("train", "--head", "whiten", "--shrink", "-1").exitCode());
        assertEquals(2, launcher.launch("train", "--shrink", "0.1").exitCode());

        LaunchResult stats = launcher.launch("stats");
        assertEquals(0, stats.exitCode());
        assertTrue(stats.getOutput().matches("(?s).*\\{\"space\":\"mobilenetv2-12-int8@[0-9a-f]{12}\",\"images\":\\d+,"
                + "\"failed\":\\d+,\"observations\":\\d+,\"pendingFolds\":0}.*"), stats.getOutput());
    }

    @Test
    void exportWritesToAFolderNamedLikeAnOptionValue(QuarkusMainLauncher launcher) throws IOException {
        Path folder = Path.of("observations"); // relative, as a user types it: the same word as --target's value
        try {
            LaunchResult r = launcher.launch("export", "observations", "--target", "observations");
            assertEquals(0, r.exitCode(), r.getErrorOutput());
            assertTrue(Files.exists(folder.resolve("vectors.npy")), r.getOutput());
        } finally {
            dev.viewfold.testing.TestData.delete(folder);
        }
    }

    @Test
    void theUsageListsEveryCommand(QuarkusMainLauncher launcher) {
        LaunchResult help = launcher.launch("help");
        assertEquals(0, help.exitCode());
        for (String command : List.of("ingest", "watch", "stats", "serve", "index", "export", "duplicates", "cluster",
                "train", "classify", "worker")) {
            assertTrue(help.getOutput().contains("\n  " + command + " ") || help.getOutput().contains("\n  " + command
                    + "\n"), command + " is missing from the usage: " + help.getOutput());
        }
    }

    @Test
    void mistakesOnTheCommandLineExitTwoAndSayWhat(QuarkusMainLauncher launcher) {
        LaunchResult noFolder = launcher.launch("ingest", "/definitely/not/here");
        assertEquals(2, noFolder.exitCode());
        assertTrue(noFolder.getErrorOutput().contains("no such folder: /definitely/not/here"), noFolder.getErrorOutput());
        LaunchResult unknown = launcher.launch("encode-everything");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.getErrorOutput().contains("unknown command 'encode-everything'"));
        assertTrue(unknown.getErrorOutput().contains("usage:"));
    }

    private static List<ImageRow> rows(Path folder) {
        List<ImageRow> out = new ArrayList<>();
        try (var table = new SqliteVectorTable(DATA)) {
            for (String space : table.spaces()) {
                if (space.contains("+head@")) {
                    continue; // a trained head's copies of the rows
                }
                table.forEachImage(space, r -> {
                    if (r.imageId().startsWith(folder.toUri().toString())) {
                        out.add(r);
                    }
                });
            }
        }
        return out;
    }
}
