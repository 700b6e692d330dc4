package dev.viewfold.search.memory;

import dev.viewfold.search.Export;
import dev.viewfold.search.Metric;
import dev.viewfold.search.NearDuplicates;
import dev.viewfold.search.SearchBackend.Mode;
import dev.viewfold.search.SearchFilter;
import dev.viewfold.search.Target;

import dev.viewfold.store.ImageRow;
import dev.viewfold.store.ObservationRow;
import dev.viewfold.store.RowStatus;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import dev.viewfold.testing.FashionMnist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory backend over a real SQLite table: full loads, catching up, deletions, snapshots, export, duplicates. */
class MemoryBackendTest {

    static final String SPACE = "fashion@000000000001";
    static final SearchIndex.Settings GRAPH = new SearchIndex.Settings(500, 16, 100, 48, 42);

    @TempDir
    Path dir;
    SqliteVectorTable table;
    LocalObjectStore bucket;
    float[][] data = FashionMnist.unitVectors(2_000);
    Instant now = Instant.parse("2026-11-24T10:00:00Z");

    @BeforeEach
    void open() {
        table = new SqliteVectorTable(dir.resolve("data"));
        bucket = new LocalObjectStore(dir.resolve("bucket"));
    }

    @AfterEach
    void close() {
        table.close();
    }

    void putImages(int from, int to) {
        List<ImageRow> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rows.add(ImageRow.ok("img" + i, SPACE, "obs" + i / 4, Integer.toString(i % 4), "h" + i, data[i], now));
        }
        table.putImages(rows);
        for (int o = from / 4; o < to / 4; o++) {
            table.putObservation(new ObservationRow("obs" + o, SPACE, RowStatus.OK, null, data[o * 4], "mean", List.of(),
                    0, "", 1, Set.of("g" + o % 2), new ObservationRow.Placement("c" + o % 3, 1, 0, 0, 0, "r1"), now));
        }
    }

    MemoryBackend catalog(LocalObjectStore snapshots) {
        return new MemoryBackend(table, snapshots, SPACE, () -> 784, GRAPH, Duration.ZERO, Duration.ZERO, Clock.systemUTC());
    }

    @Test
    void loadsFromTheTableAndCatchesUpWithWritesAndDeletions() {
        putImages(0, 400);
        MemoryBackend catalog = catalog(null);
        assertEquals(400, catalog.index(Target.IMAGES).size());
        assertEquals(100, catalog.index(Target.OBSERVATIONS).size());
        assertEquals("c1", catalog.index(Target.OBSERVATIONS).entry("obs1").orElseThrow().clusterId());

        now = now.plusSeconds(60);
        putImages(400, 800);
        table.deleteImage(SPACE, "img3");
        table.putImage(ImageRow.failed("img5", SPACE, "obs1", "1", "h", "truncated JPEG", now));
        SearchIndex images = catalog.index(Target.IMAGES);
        assertEquals(798, images.size(), "400 new rows, one deleted, one failed");
        assertTrue(images.entry("img3").isEmpty());
        assertTrue(images.entry("img5").isEmpty());
        assertEquals(200, catalog.index(Target.OBSERVATIONS).size());
    }

    @Test
    void aSnapshotGivesTheSameAnswersWithoutReadingTheTable() throws Exception {
        putImages(0, 2_000);
        MemoryBackend first = catalog(bucket);
        List<String> written = first.writeSnapshots();
        assertEquals(2, written.size());
        assertTrue(Files.exists(dir.resolve("bucket/index/" + SPACE + "/images.vfi")));
        SearchIndex original = first.index(Target.IMAGES);
        assertTrue(original.approximate());

        // A cold start: the snapshot, plus what was written after it.
        now = now.plusSeconds(60);
        table.putImage(ImageRow.ok("late", SPACE, "obs-late", "0", "h", data[7], now));
        SearchIndex restored = catalog(bucket).index(Target.IMAGES);
        assertTrue(restored.approximate(), "the graph comes with the snapshot");
        assertEquals(2_001, restored.size());
        for (int q = 0; q < 50; q++) {
            List<String> a = SearchIndexTest.ids(SearchIndexTest.find(original, data[q * 40 + 1], 10, Metric.COSINE,
                    SearchFilter.NONE, Mode.AUTO));
            List<String> b = SearchIndexTest.ids(SearchIndexTest.find(restored, data[q * 40 + 1], 10, Metric.COSINE,
                    new SearchFilter(null, null, "obs-late", null), Mode.AUTO));
            assertEquals(a, b);
        }
    }

    @Test
    void refoldingTheSameObservationsTenThousandTimesKeepsTheIndexTheSizeOfAFreshOne() throws Exception {
        putImages(0, 400); // 100 observations
        MemoryBackend serving = catalog(bucket);
        assertEquals(100, serving.size(Target.OBSERVATIONS));
        for (int round = 1; round <= 100; round++) {
            Instant at = now.plusMillis(round);
            for (int o = 0; o < 100; o++) {
                // Each refold moves the observation's vector a little, as a new view would.
                table.putFold(new ObservationRow("obs" + o, SPACE, RowStatus.OK, null, data[(o * 4 + round) % 2_000],
                        "mean", List.of(), 0, "", 1 + round, Set.of("g" + o % 2), null, at));
            }
            serving.refreshIfDue();
        }
        MemoryBackend fresh = catalog(null);
        SearchIndex refolded = serving.index(Target.OBSERVATIONS);
        assertEquals(100, refolded.size());
        assertEquals(fresh.index(Target.OBSERVATIONS).slots(), refolded.slots(),
                "10,000 refolds hold as many slots as a fresh index of the same rows");
        assertEquals(java.util.Arrays.toString(data[(4 * 7 + 100) % 2_000]),
                java.util.Arrays.toString(refolded.vector("obs7").orElseThrow()), "and the newest vectors");
        serving.writeSnapshots();
        long snapshot = Files.size(dir.resolve("bucket/index/" + SPACE + "/observations.vfi"));
        assertTrue(snapshot < 100 * (784 * 4 + 200), "the snapshot carries 100 rows, not 10,100: " + snapshot + " bytes");
    }

    @Test
    void aSnapshotOfAnotherSpaceIsNeverUsed() throws Exception {
        putImages(0, 100);
        catalog(bucket).writeSnapshots();
        Files.createDirectories(dir.resolve("bucket/index/other@1"));
        Files.copy(dir.resolve("bucket/index/" + SPACE + "/images.vfi"), dir.resolve("bucket/index/other@1/images.vfi"));
        MemoryBackend other = new MemoryBackend(table, bucket, "other@1", () -> 784, GRAPH, Duration.ZERO, Duration.ZERO,
                Clock.systemUTC());
        assertEquals(0, other.index(Target.IMAGES).size(), "read from the table: no rows of that space");
    }

    @Test
    void exportWritesNumpyAndCsvRowForRow() throws Exception {
        putImages(0, 40);
        Export.Written w = Export.write(catalog(null), Target.IMAGES, dir.resolve("out"));
        assertEquals(40, w.count());
        byte[] npy = Files.readAllBytes(w.vectors());
        int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        String header = new String(npy, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (40, 784), }"));
        assertEquals(0, (10 + headerLength) % 64, "data starts 64-byte aligned");
        assertEquals(10 + headerLength + 40 * 784 * 4, npy.length);
        List<String> lines = Files.readAllLines(w.rows());
        assertEquals("row,id,observation_id,cluster_id,labels,updated_at", lines.get(0));
        assertEquals(41, lines.size());
        // Row i of the CSV is row i of the matrix.
        String id = lines.get(13).split(",")[1];
        float first = java.nio.ByteBuffer.wrap(npy, 10 + headerLength + 12 * 784 * 4, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(data[Integer.parseInt(id.substring(3))][0], first, 0f);
    }

    @Test
    void nearDuplicatesGroupCopiesAndLeaveTheRestAlone() {
        putImages(0, 200);
        // Three re-uploads: the same picture, slightly altered.
        List<ImageRow> copies = new ArrayList<>();
        for (int i : new int[] {10, 10, 77}) {
            float[] v = data[i].clone();
            v[300] += 0.01f;
            copies.add(ImageRow.ok("copy-of-" + i + "-" + copies.size(), SPACE, "upload" + copies.size(), "0", "h",
                    dev.viewfold.math.Vectors.normalised(v), now));
        }
        table.putImages(copies);
        MemoryBackend images = catalog(null);
        List<NearDuplicates.Group> groups = NearDuplicates.groups(images, Target.IMAGES, 0.999f, 5, i -> { });
        assertEquals(2, groups.size(), groups.toString());
        assertEquals(java.util.Set.of("img10", "copy-of-10-0", "copy-of-10-1"), java.util.Set.copyOf(groups.get(0).ids()));
        assertEquals(java.util.Set.of("img77", "copy-of-77-2"), java.util.Set.copyOf(groups.get(1).ids()));
        assertTrue(groups.get(0).weakestLink() >= 0.999f);
        assertEquals(java.util.Set.of("img77", "copy-of-77-2"), NearDuplicates.of(images, Target.IMAGES, data[77], 0.999f, 10).stream()
                .map(n -> n.entry().id()).collect(java.util.stream.Collectors.toSet()));
        assertFalse(NearDuplicates.of(images, Target.IMAGES, data[78], 0.999f, 10).stream().anyMatch(n -> n.entry().id().startsWith("copy")));
    }
}
