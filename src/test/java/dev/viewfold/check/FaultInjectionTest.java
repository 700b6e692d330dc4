package dev.viewfold.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.aggregate.Aggregator;
import dev.viewfold.aggregate.FoldStrategies;
import dev.viewfold.aggregate.MeanStrategy;
import dev.viewfold.aggregate.RobustStrategy;
import dev.viewfold.cluster.ClusterRun;
import dev.viewfold.cluster.ClusterSettings;
import dev.viewfold.cluster.umap.Umap;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.Encoder;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.heads.HeadProjector;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.heads.TrainRun;
import dev.viewfold.labels.LabelEditor;
import dev.viewfold.space.Space;
import dev.viewfold.space.Spaces;
import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.VectorTable;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import dev.viewfold.testing.FaultyObjectStore;
import dev.viewfold.testing.FaultyTable;
import dev.viewfold.testing.Invariants;
import dev.viewfold.testing.Shared;
import dev.viewfold.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQLite's way of proving a store, applied to Viewfold's derived state: the writes of a small
 * session (ingest, a label edit, a deletion, a whitening head, a cluster run) are failed one at a
 * time, the k-th of them for every k, before it reaches the table (a full disk) and after (a kill
 * right after the commit), and the objects Viewfold writes to the bucket likewise. After each, a
 * normal run of the same session must leave a sound store that holds exactly what a run without
 * faults holds.
 */
class FaultInjectionTest {

    static final Space MODEL = Space.ofModel(ModelSpace.of(Shared.mobilenet()));
    static OnnxEmbeddingModel model;
    static ExecutorService pool;

    @TempDir
    static Path root;

    @BeforeAll
    static void load() {
        model = new OnnxEmbeddingModel(Shared.mobilenet());
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        model.close();
    }

    /** One process's session over a data folder, through whatever the table and bucket let through. */
    static final class Session {
        final Path photos;
        final VectorTable table;
        final ObjectStore bucket;
        final HeadStore heads;
        final Aggregator aggregator;
        final Encoder encoder;
        final CheckRun check;
        final TrainRun train;
        final ClusterRun cluster;
        final LabelEditor labels;

        Session(Path dir, VectorTable table, ObjectStore bucket) {
            this.photos = dir.resolve("photos");
            this.table = table;
            this.bucket = bucket;
            Clock clock = Clock.systemUTC();
            heads = new HeadStore(bucket, new ObjectMapper());
            aggregator = new Aggregator(table, new FoldStrategies(List.of(new MeanStrategy(),
                    new RobustStrategy(2, 0.1)), "robust"), clock);
            encoder = new Encoder(model, MODEL.id(), table, new ImageDecoder(50_000_000), pool, 64L << 20, clock,
                    new HeadProjector(table, heads, clock, Duration.ZERO, aggregator::afterRowsChanged));
            check = new CheckRun(table, new Spaces(MODEL, heads::spacesOf, heads::unlisted), heads, aggregator, clock);
            train = new TrainRun(table, heads, clock, aggregator::afterRowsChanged, t -> { }, "test");
            cluster = new ClusterRun(table, bucket, new ObjectMapper(), ClusterSettings.defaults(), clock, MODEL.id());
            labels = new LabelEditor(table, clock, aggregator::afterRowsChanged);
        }

        /** What a user does: ingest (after the repair every start makes), label, delete, whiten, cluster. */
        void run() throws IOException {
            check.run();
            LocalObjectStore store = new LocalObjectStore(photos);
            List<EncodeRequest> all = new ArrayList<>();
            for (int obj = 1; obj <= 8; obj++) {
                for (int angle : new int[] {0, 120, 240}) {
                    all.add(new EncodeRequest("obj" + obj + "/" + angle + ".jpg", null, null, null, null));
                }
            }
            for (int from = 0; from < all.size(); from += 8) {
                encoder.encode(store, all.subList(from, from + 8));
            }
            labels.apply(List.of(MODEL), "obj3", new LabelEditor.Edit(null, Set.of("mug"), Set.of()));
            Files.deleteIfExists(photos.resolve("obj8/240.jpg"));
            encoder.forget(store, List.of("obj8/240.jpg"));
            if (heads.spacesOf(MODEL).isEmpty()) {
                train.whiten(MODEL, 0.3, Duration.ZERO, line -> { });
            }
            cluster.run(MODEL.id(), Umap.Progress.NONE);
        }
    }

    static Path fresh(String name) throws IOException {
        Path dir = root.resolve(name);
        TestData.delete(dir);
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (int obj = 1; obj <= 8; obj++) {
            Files.createDirectories(photos.resolve("obj" + obj));
            for (int angle : new int[] {0, 120, 240}) {
                Files.copy(Shared.dataset("coil100/images/obj" + obj + "__" + angle + ".jpg"),
                        photos.resolve("obj" + obj + "/" + angle + ".jpg"));
            }
        }
        return dir;
    }

    /** A session failed somewhere, then a normal one, then the invariants and the counts. */
    static List<String> failThenRecover(String name, Function<SqliteVectorTable, VectorTable> tableFault,
                                        Function<ObjectStore, ObjectStore> bucketFault, TableStats reference)
            throws IOException {
        Path dir = fresh(name);
        try (SqliteVectorTable sqlite = new SqliteVectorTable(dir.resolve("data"))) {
            LocalObjectStore bucket = new LocalObjectStore(dir.resolve("bucket"));
            try {
                new Session(dir, tableFault.apply(sqlite), bucketFault.apply(bucket)).run();
            } catch (FaultyTable.InjectedFault | IOException | java.io.UncheckedIOException expected) {
                // the crash or the full disk
            }
            // The photos are the user's: put back what the failed session deleted before it died.
            Files.copy(Shared.dataset("coil100/images/obj8__240.jpg"), dir.resolve("photos/obj8/240.jpg"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Session again = new Session(dir, sqlite, bucket);
            again.run();
            List<String> violations = new ArrayList<>(Invariants.violations(sqlite, bucket, again.heads, MODEL));
            TableStats stats = sqlite.stats(MODEL.id());
            if (!stats.equals(reference)) {
                violations.add("counts " + stats + ", not " + reference);
            }
            if (again.heads.spacesOf(MODEL).size() != 1) {
                violations.add(again.heads.spacesOf(MODEL).size() + " heads listed, not 1");
            }
            return violations;
        }
    }

    @Test
    void everyWriteFailedOnceThenANormalRunLeavesWhatARunWithoutFaultsLeaves() throws IOException {
        Path clean = fresh("reference");
        int tableWrites;
        int bucketWrites;
        TableStats reference;
        try (SqliteVectorTable sqlite = new SqliteVectorTable(clean.resolve("data"))) {
            FaultyTable counting = new FaultyTable(sqlite);
            FaultyObjectStore countingBucket = new FaultyObjectStore(new LocalObjectStore(clean.resolve("bucket")), -1);
            Session s = new Session(clean, counting, countingBucket);
            s.run();
            tableWrites = counting.writes();
            bucketWrites = countingBucket.writes();
            reference = sqlite.stats(MODEL.id());
            assertEquals(List.of(), Invariants.violations(sqlite, s.bucket, s.heads, MODEL));
        }
        assertEquals(new TableStats(MODEL.id(), 23, 0, 8), reference);
        assertTrue(tableWrites > 20 && bucketWrites >= 5, tableWrites + " table writes, " + bucketWrites + " objects");

        List<String> failures = new ArrayList<>();
        for (int k = 1; k <= tableWrites; k++) {
            for (FaultyTable.When when : FaultyTable.When.values()) {
                int at = k;
                List<String> v = failThenRecover("t" + k + when, t -> new FaultyTable(t, at, when, op -> true),
                        b -> b, reference);
                v.forEach(violation -> failures.add("table write " + at + " failed " + when + ": " + violation));
            }
        }
        for (int k = 1; k <= bucketWrites; k++) {
            int at = k;
            List<String> v = failThenRecover("b" + k, t -> t, b -> new FaultyObjectStore(b, at), reference);
            v.forEach(violation -> failures.add("bucket write " + at + " failed: " + violation));
        }
        assertEquals(List.of(), failures, (2 * tableWrites + bucketWrites) + " faults injected");
    }
}
