package dev.viewfold.bench;

import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.Encoder;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.events.BatchRunner;
import dev.viewfold.events.IngestManifest;
import dev.viewfold.store.ImageRow;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Real embeddings of a shared dataset for benchmarks: encoded once through the normal encode path
 * into {@code target/bench-data/<dataset>}, then read back from that SQLite file on later runs.
 */
final class Embeddings {

    /** One image's embedding with its observation and view. */
    record Item(String observationId, String viewId, float[] vector) {
    }

    private Embeddings() {
    }

    static ModelSpec mobilenet(Path shared) {
        Path model = shared.resolve("models/mobilenetv2-12-int8/model-embedding.onnx");
        return new ModelSpec(model, "mobilenetv2-12-int8", Optional.empty(), "embedding", 224, 256,
                ModelSpec.Channels.RGB, ModelSpec.Layout.NCHW, 255f, new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f}, ModelSpec.Pooling.NONE);
    }

    /**
     * A shared dataset by name ({@code coil100}), or any folder holding a {@code labels.csv} with
     * {@code observation_id} (a set kept aside): a name with a slash is a path.
     */
    static Path folder(Path shared, String dataset) {
        return dataset.contains("/") ? Path.of(dataset).toAbsolutePath().normalize()
                : shared.resolve("datasets").resolve(dataset);
    }

    /** MobileNetV2 dequantised to float32 (the GPU's model): embeddings not confined to int8 levels. */
    static ModelSpec mobilenetFp32(Path shared) {
        Path model = shared.resolve("models/mobilenetv2-fp32/model.onnx");
        return new ModelSpec(model, "mobilenetv2-fp32", Optional.empty(), "embedding", 224, 256,
                ModelSpec.Channels.RGB, ModelSpec.Layout.NCHW, 255f, new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f}, ModelSpec.Pooling.NONE);
    }

    /** Observation id → its views, in view order as the manifest lists them. */
    static Map<String, List<Item>> of(Path shared, String dataset) throws IOException {
        return of(shared, dataset, mobilenet(shared), dataset);
    }

    /** The same with another model, encoded once into {@code target/bench-data/<cache>}. */
    static Map<String, List<Item>> of(Path shared, String dataset, ModelSpec spec, String cache) throws IOException {
        Map<String, List<Item>> byObservation = new TreeMap<>();
        for (ImageRow r : rows(shared, dataset, spec, cache)) {
            byObservation.computeIfAbsent(r.observationId(), k -> new ArrayList<>())
                    .add(new Item(r.observationId(), r.viewId(), r.vector()));
        }
        return byObservation;
    }

    /** One image's embedding with its manifest row: path (relative to the dataset) and the other columns. */
    record Image(String path, Map<String, String> columns, float[] vector) {
    }

    /** Every usable image of a dataset, in manifest order, with its manifest columns (label, split, ...). */
    static List<Image> images(Path shared, String dataset) throws IOException {
        Path dir = folder(shared, dataset);
        LocalObjectStore store = new LocalObjectStore(dir);
        Map<String, float[]> byId = new java.util.HashMap<>();
        for (ImageRow r : rows(shared, dataset, mobilenet(shared), dataset)) {
            byId.put(r.imageId(), r.vector());
        }
        List<Image> out = new ArrayList<>();
        var format = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (var parser = org.apache.commons.csv.CSVParser.parse(dir.resolve("labels.csv"),
                java.nio.charset.StandardCharsets.UTF_8, format)) {
            for (var record : parser) {
                float[] v = byId.get(store.uri(record.get("path")));
                if (v != null) {
                    out.add(new Image(record.get("path"), record.toMap(), v));
                }
            }
        }
        return out;
    }

    /** The dataset's ok image rows, sorted by id; encoded through the normal path the first time. */
    private static List<ImageRow> rows(Path shared, String dataset, ModelSpec spec, String cache) throws IOException {
        String space = ModelSpace.of(spec);
        Path dir = folder(shared, dataset);
        Path data = Path.of("target/bench-data").resolve(cache.contains("/") ? dir.getFileName().toString() : cache);
        List<EncodeRequest> requests = IngestManifest.read(dir.resolve("labels.csv"));
        try (SqliteVectorTable table = new SqliteVectorTable(data)) {
            if (table.stats(space).images() < requests.size()) {
                System.err.printf("encoding %s once into %s ...%n", dataset, data);
                ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
                try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(spec)) {
                    Encoder encoder = new Encoder(model, space, table, new ImageDecoder(50_000_000), pool,
                            64L << 20, Clock.systemUTC());
                    new BatchRunner(encoder, 32).run(new LocalObjectStore(dir), requests, (s, o) -> { });
                } finally {
                    pool.shutdownNow();
                }
            }
            List<ImageRow> rows = new ArrayList<>();
            table.forEachImage(space, r -> {
                if (r.isOk()) {
                    rows.add(r);
                }
            });
            rows.sort((a, b) -> a.imageId().compareTo(b.imageId()));
            return rows;
        }
    }
}
