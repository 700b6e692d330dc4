package dev.viewfold.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.Encoder;
import dev.viewfold.encode.ImageDecoder;
import dev.viewfold.encode.ModelSpace;
import dev.viewfold.encode.ModelSpec;
import dev.viewfold.encode.OnnxEmbeddingModel;
import dev.viewfold.encode.Preprocessor;
import dev.viewfold.events.BatchRunner;
import dev.viewfold.events.FolderScan;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where the time of one encode goes, on real photos, in one run: raw ONNX Runtime (the ceiling
 * for the model call), the same model through DJL, decoding + preprocessing, and the whole encode
 * path (read, hash, decode, preprocess, model, SQLite write) as {@code ingest} runs it.
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=EncodeBench [-Dbench.args="&lt;dir&gt; &lt;images&gt; &lt;model.onnx&gt;"]</pre>
 */
public final class EncodeBench {

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        Path dir = args.length > 0 ? Path.of(args[0]) : shared.resolve("datasets/caltech101");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path modelFile = args.length > 2 ? Path.of(args[2]) : shared.resolve("models/mobilenetv2-12-int8/model-embedding.onnx");
        ModelSpec spec = new ModelSpec(modelFile, modelFile.getParent().getFileName().toString(), Optional.empty(),
                "embedding", 224, 256, ModelSpec.Channels.RGB, ModelSpec.Layout.NCHW, 255f,
                new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, ModelSpec.Pooling.NONE);

        LocalObjectStore store = new LocalObjectStore(dir);
        List<EncodeRequest> requests = FolderScan.scan(store);
        requests = requests.subList(0, Math.min(n, requests.size()));
        List<byte[]> files = new ArrayList<>();
        for (EncodeRequest r : requests) {
            files.add(Files.readAllBytes(dir.resolve(r.key())));
        }
        System.out.printf(Locale.ROOT, "EncodeBench: %d images from %s, model %s, %d cores, Java %s%n%n",
                files.size(), dir, modelFile, Runtime.getRuntime().availableProcessors(), Runtime.version());

        ImageDecoder decoder = new ImageDecoder(50_000_000, spec.resize(), Path.of("/usr/share/java/turbojpeg.jar"));
        ImageDecoder fallback = new ImageDecoder(50_000_000);
        Preprocessor pre = new Preprocessor(spec);
        List<Row> rows = new ArrayList<>();

        // Decoding + preprocessing alone, one thread: the fast decoder as the app uses it, then ImageIO.
        List<float[]> tensors = new ArrayList<>();
        long t0 = System.nanoTime();
        for (byte[] f : files) {
            tensors.add(pre.toTensor(decoder.decode(f)));
        }
        rows.add(new Row("decode + resize/crop + normalise (1 thread, " + (decoder.usesTurboJpeg() ? "TurboJPEG" : "ImageIO")
                + ")", files.size(), System.nanoTime() - t0));
        t0 = System.nanoTime();
        for (byte[] f : files) {
            pre.toTensor(fallback.decode(f));
        }
        rows.add(new Row("decode + resize/crop + normalise (1 thread, ImageIO fallback)", files.size(), System.nanoTime() - t0));

        int ortThreads = Integer.getInteger("bench.ortThreads", 0);
        int decodeThreads = Integer.getInteger("bench.decodeThreads", Runtime.getRuntime().availableProcessors());
        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(spec, 1, ortThreads);
             OnnxEmbeddingModel batched = new OnnxEmbeddingModel(spec, 32, ortThreads)) {
            // The model stages take turns, three rounds, best of each: on this machine whatever runs
            // first is slow for seconds (ORT thread pools, CPU clocks), which would bias one-shot rows.
            long rawBest = Long.MAX_VALUE;
            long djlBest = Long.MAX_VALUE;
            long djl32Best = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                rawBest = Math.min(rawBest, rawOrt(modelFile, tensors, "raw").nanos);
                t0 = System.nanoTime();
                for (float[] t : tensors) {
                    model.embed(List.of(t));
                }
                djlBest = Math.min(djlBest, System.nanoTime() - t0);
                t0 = System.nanoTime();
                for (int i = 0; i < tensors.size(); i += 32) {
                    batched.embed(tensors.subList(i, Math.min(tensors.size(), i + 32)));
                }
                djl32Best = Math.min(djl32Best, System.nanoTime() - t0);
            }
            rows.add(new Row("model: raw ONNX Runtime, batch 1 (best of 3)", tensors.size(), rawBest));
            rows.add(new Row("model: DJL OnnxRuntime engine, batch 1 (best of 3)", tensors.size(), djlBest));
            rows.add(new Row("model: DJL OnnxRuntime engine, batch 32 (best of 3)", tensors.size(), djl32Best));

            // The whole encode path, as ingest runs it, into a fresh SQLite table.
            int threads = decodeThreads;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (OnnxEmbeddingModel m : List.of(model, batched)) {
                    Path data = Files.createTempDirectory("viewfold-bench");
                    try (SqliteVectorTable table = new SqliteVectorTable(data)) {
                        Encoder encoder = new Encoder(m, ModelSpace.of(spec), table, decoder, pool, 64L << 20, Clock.systemUTC());
                        t0 = System.nanoTime();
                        var summary = new BatchRunner(encoder, 32).run(store, requests, (s, o) -> { });
                        rows.add(new Row("whole encode path (ingest), model batch " + (m == model ? 1 : 32) + ", "
                                + threads + " decode threads, ORT threads " + (ortThreads == 0 ? "auto" : ortThreads), summary.encoded(), System.nanoTime() - t0));
                        if (m == batched) {
                            t0 = System.nanoTime();
                            summary = new BatchRunner(encoder, 32).run(store, requests, (s, o) -> { });
                            rows.add(new Row("second ingest: all unchanged (read + hash + lookup)", summary.unchanged(),
                                    System.nanoTime() - t0));
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }

        Row peer = null;
        Path peerScript = Path.of("src/bench/node/peer.mjs");
        if (Files.isDirectory(Path.of("src/bench/node/node_modules/onnxruntime-node"))) {
            Path list = Files.createTempFile("viewfold-bench-files", ".txt");
            Files.write(list, requests.stream().map(r -> dir.resolve(r.key()).toAbsolutePath().toString()).toList());
            Process node = new ProcessBuilder("node", peerScript.toString(), list.toString(), modelFile.toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            String out = new String(node.getInputStream().readAllBytes()).trim();
            if (node.waitFor() == 0) {
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.substring(out.lastIndexOf('{')));
                long images = json.get("images").asLong();
                rows.add(new Row("peer: sharp decode + resize/crop + normalise (libvips threads)", images,
                        (long) (json.get("prepareSeconds").asDouble() * 1e9)));
                rows.add(new Row("peer: onnxruntime-node, batch 1", images, (long) (json.get("inferSeconds").asDouble() * 1e9)));
                peer = new Row("peer: whole path (sharp + onnxruntime-node)", images, (long) (json.get("wholeSeconds").asDouble() * 1e9));
                rows.add(peer);
            } else {
                System.out.println("peer pipeline failed: " + out);
            }
        } else {
            System.out.println("peer pipeline skipped: run `npm install` in src/bench/node first");
        }

        System.out.printf("| %-62s | %6s | %8s | %9s | %8s |%n", "stage", "images", "seconds", "images/s", "ms/image");
        System.out.printf("|%s|%s|%s|%s|%s|%n", "-".repeat(64), "-".repeat(8), "-".repeat(10), "-".repeat(11), "-".repeat(10));
        for (Row r : rows) {
            double s = r.nanos / 1e9;
            System.out.printf(Locale.ROOT, "| %-62s | %6d | %8.2f | %9.0f | %8.2f |%n", r.name, r.images, s,
                    r.images / s, 1000 * s / r.images);
        }
        Row whole = rows.stream().filter(r -> r.name.startsWith("whole encode path (ingest), model batch 32")).findFirst().orElseThrow();
        double raw = rows.stream().filter(r -> r.name.startsWith("model: raw ONNX Runtime")).mapToDouble(EncodeBench::rate)
                .max().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%nend-to-end / raw ONNX Runtime: %.2f%n", rate(whole) / raw);
        if (peer != null) {
            System.out.printf(Locale.ROOT, "end-to-end / peer pipeline: %.2f%n", rate(whole) / rate(peer));
        }
    }

    /** images/s of a row. */
    private static double rate(Row r) {
        return r.images / (r.nanos / 1e9);
    }

    private static Row rawOrt(Path modelFile, List<float[]> tensors, String name) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(modelFile.toString(), new OrtSession.SessionOptions())) {
            for (int warm = 0; warm < 200; warm++) { // ORT's thread pool and the CPU need a while
                rawRun(env, session, tensors.get(warm % tensors.size()));
            }
            long t0 = System.nanoTime();
            for (float[] t : tensors) {
                rawRun(env, session, t);
            }
            return new Row(name, tensors.size(), System.nanoTime() - t0);
        }
    }

    private static void rawRun(OrtEnvironment env, OrtSession session, float[] tensor) throws Exception {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor), new long[] {1, 3, 224, 224});
             OrtSession.Result r = session.run(Map.of("input", x), java.util.Set.of("embedding"))) {
            r.get(0);
        }
    }

    private record Row(String name, long images, long nanos) {
    }
}
