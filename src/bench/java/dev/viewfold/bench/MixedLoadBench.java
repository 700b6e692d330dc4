package dev.viewfold.bench;

import dev.viewfold.testing.Shared;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded mixed load on loopback: {@code serve} over COIL-100 (7,200 images, 100 observations)
 * answers search by id, by vector and by image, refolds and label edits from 16 clients at once,
 * while an {@code ingest} in another process keeps adding photos to the same store. Prints p50/p99
 * per route, the errors (anything but the answer asked for), and serve's resident memory each
 * minute.
 *
 * <p>{@code ./mvnw -q -Pbench verify -Dbench=MixedLoadBench -Dbench.args="600 16"} (seconds, clients; a
 * third argument {@code gc} forces a full GC at every minute's reading, not only the first and last)
 */
public final class MixedLoadBench {


    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        boolean everyMinute = args.length > 2 && args[2].equals("gc");
        Path root = Files.createTempDirectory("viewfold-load");
        Path data = root.resolve("data");
        System.out.printf("mixed load: %d s, %d clients, store %s; load %s%n", seconds, clients, root,
                CrashHarness.load());
        if (run(data, List.of("ingest", Shared.dataset("coil100").toString(), "--manifest",
                Shared.dataset("coil100/labels.csv").toString())) != 0) {
            throw new IllegalStateException("the first ingest failed");
        }
        int port = 18_731;
        // Native memory tracking lets each minute's reading split serve's RSS into heap and the rest.
        Process serve = spawn(data, List.of("-XX:NativeMemoryTracking=summary"), List.of("serve"),
                Map.of("VIEWFOLD_PORT", Integer.toString(port)), true);
        if (!CrashHarness.waitForLine(serve, "viewfold: serving on", 120)) {
            throw new IllegalStateException("serve did not start");
        }
        long pid = serve.pid();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port + "/";
        // Warm: the indexes load on the first search.
        http.send(post(base + "search", "{\"observationId\":\"obj001\"}"), HttpResponse.BodyHandlers.ofString());

        Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        List<String> errorExamples = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<byte[]> queries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            queries.add(Files.readAllBytes(Shared.dataset("coil100/images/obj" + (1 + i * 2) + "__" + (i % 72) * 5 + ".jpg")));
        }
        float[] vector = vectorOf(http, base);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Random r = new Random(c);
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    String obs = String.format(Locale.ROOT, "obj%03d", 1 + r.nextInt(100));
                    int pick = r.nextInt(10);
                    String route;
                    HttpRequest request;
                    if (pick < 3) {
                        route = "search (id)";
                        request = post(base + "search", "{\"observationId\":\"" + obs + "\",\"k\":10}");
                    } else if (pick < 5) {
                        route = "search (vector)";
                        request = post(base + "search", "{\"vector\":" + jitter(vector, r) + ",\"k\":10,\"target\":\"images\"}");
                    } else if (pick < 7) {
                        route = "search/image";
                        request = HttpRequest.newBuilder(URI.create(base + "search/image?k=5"))
                                .timeout(Duration.ofSeconds(60)).header("Content-Type", "image/jpeg")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(queries.get(r.nextInt(queries.size()))))
                                .build();
                    } else if (pick < 9) {
                        route = "aggregate";
                        request = post(base + "aggregate", "{\"observationId\":\"" + obs + "\"}");
                    } else {
                        route = "labels";
                        request = post(base + "labels", "{\"observationId\":\"" + obs + "\",\""
                                + (r.nextBoolean() ? "add" : "remove") + "\":[\"tag" + r.nextInt(5) + "\"]}");
                    }
                    long started = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            errors.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();
                            if (errorExamples.size() < 5) {
                                errorExamples.add(route + " " + response.statusCode() + " " + response.body());
                            }
                        } else {
                            latencies.computeIfAbsent(route, k -> new ConcurrentLinkedQueue<>())
                                    .add(System.nanoTime() - started);
                        }
                    } catch (Exception e) {
                        errors.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();
                        if (errorExamples.size() < 5) {
                            errorExamples.add(route + " " + e);
                        }
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        // An ingest in another process, all along: 40 new photos a round, from Caltech-101 and the flowers.
        Path incoming = root.resolve("incoming");
        List<Path> pool = photos();
        AtomicInteger ingested = new AtomicInteger();
        AtomicInteger ingestFailures = new AtomicInteger();
        Thread ingest = new Thread(() -> {
            int next = 0;
            while (!stop.get() && next < pool.size()) {
                try {
                    for (int i = 0; i < 40 && next < pool.size(); i++, next++) {
                        Path to = incoming.resolve("batch" + next / 40).resolve(next + ".jpg");
                        Files.createDirectories(to.getParent());
                        Files.copy(pool.get(next), to, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (run(data, List.of("ingest", incoming.toString())) != 0) {
                        ingestFailures.incrementAndGet();
                    }
                    ingested.set(next);
                } catch (Exception e) {
                    ingestFailures.incrementAndGet();
                }
            }
        });
        ingest.start();

        List<String> memory = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Path histograms = root.resolve("histograms");
        Files.createDirectories(histograms);
        for (int minute = 0; System.nanoTime() < end; minute++) {
            // "gc": a full GC each minute (the live heap's trend); else only before the load and after it.
            boolean gc = everyMinute || minute == 0;
            memory.add(MemoryReading.of(pid, minute + " min", gc ? histograms.resolve(minute + ".txt") : null).row());
            Thread.sleep(Math.min(60_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
        memory.add(MemoryReading.of(pid, "end", histograms.resolve("end.txt")).row());
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        ingest.join();
        serve.destroy();
        serve.waitFor(30, TimeUnit.SECONDS);

        System.out.println();
        System.out.println("| route | requests | errors | p50 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        int total = 0;
        int errs = 0;
        for (String route : List.of("search (id)", "search (vector)", "search/image", "aggregate", "labels")) {
            List<Long> l = new ArrayList<>(latencies.getOrDefault(route, new ConcurrentLinkedQueue<>()));
            Collections.sort(l);
            int e = errors.getOrDefault(route, new AtomicInteger()).get();
            total += l.size() + e;
            errs += e;
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f |%n", route, l.size() + e, e, pct(l, 0.5),
                    pct(l, 0.99));
        }
        System.out.printf(Locale.ROOT, "%n%d requests in %d s (%.0f/s), %d errors; ingest alongside: %d photos, %d failed"
                + " runs; load after: %s%n", total, seconds, total / (double) seconds, errs,
                ingested.get(), ingestFailures.get(), CrashHarness.load());
        System.out.println();
        System.out.println("serve's memory (MiB); live heap is what a full GC leaves (measured "
                + (everyMinute ? "each minute" : "before the load and after it") + "), heap histograms in " + histograms);
        System.out.println(MemoryReading.HEADER);
        memory.forEach(System.out::println);
        errorExamples.forEach(e -> System.out.println("  " + e));
    }

    static double pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, p * sorted.size())) / 1e6;
    }

    static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** A fixed direction of the model's 1280 dimensions (non-negative, as its pooled outputs are), jittered per query. */
    static float[] vectorOf(HttpClient http, String base) {
        float[] v = new float[1280];
        Random r = new Random(7);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.abs(r.nextGaussian());
        }
        return v;
    }

    static String jitter(float[] v, Random r) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(v[i] * (0.9f + 0.2f * r.nextFloat()));
        }
        return b.append(']').toString();
    }

    static List<Path> photos() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String d : List.of("caltech101/images", "flowers12/train", "flowers12/test")) {
            try (var s = Files.walk(Shared.dataset(d))) {
                s.filter(f -> f.toString().endsWith(".jpg")).sorted().forEach(out::add);
            }
        }
        Collections.shuffle(out, new Random(3));
        return out;
    }

    static int run(Path data, List<String> args) throws Exception {
        Process p = spawn(data, List.of(), args, Map.of(), false);
        return p.waitFor(30, TimeUnit.MINUTES) ? p.exitValue() : -1;
    }

    static Process spawn(Path data, List<String> jvm, List<String> args, Map<String, String> env, boolean pipe)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx2g", "--add-modules", "jdk.incubator.vector"));
        command.addAll(jvm);
        command.addAll(List.of("-jar", BenchApp.jar().toString()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        if (!pipe) {
            b.redirectOutput(ProcessBuilder.Redirect.appendTo(data.getParent().resolve("children.log").toFile()));
        }
        b.environment().put("VIEWFOLD_DATA", data.toString());
        b.environment().put("OPT_OUT_TRACKING", "true");
        b.environment().putAll(env);
        return b.start();
    }
}
