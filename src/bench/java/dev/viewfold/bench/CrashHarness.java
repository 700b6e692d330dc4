package dev.viewfold.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.space.Space;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.store.sqlite.SqliteVectorTable;
import dev.viewfold.testing.Invariants;
import dev.viewfold.testing.Shared;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Qdrant's crasher and SQLite's crash tests, for Viewfold: the real writers (the {@code ingest},
 * {@code cluster} and {@code train --head whiten} commands, and {@code serve} under uploads,
 * {@code /aggregate} and {@code /labels}) run as child processes of the packaged application against
 * one store, and are killed with SIGKILL at seeded random moments. After each kill the {@code check}
 * command runs (as the next start of any writer would), and the invariants are read: the SQLite file
 * is sound, no row twice, every fold lists exactly its observation's usable views, every listed
 * head's space holds every row, the latest map and summary read. At the end every writer runs to
 * completion and the counts must equal the photos on disk.
 *
 * <p>{@code ./mvnw -q -Pbench verify -Dbench=CrashHarness -Dbench.args="200 23"} (kills, seed)
 */
public final class CrashHarness {

    static final String[] WRITERS = {"ingest", "serve", "cluster", "train"};

    final Path root;
    final Path data;
    final Path photos;
    final Path uploads;
    final Random random;
    int nextPhoto;
    int nextUpload;

    CrashHarness(Path root, long seed) {
        this.root = root;
        this.data = root.resolve("data");
        this.photos = root.resolve("photos");
        this.uploads = data.resolve("buckets/viewfold-images/images");
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 23;
        BenchApp.jar(); // a copy: builds meanwhile cannot pull it from under the children
        Path root = Files.createTempDirectory("viewfold-crash");
        System.out.printf("crash harness: %d kills, seed %d, store %s; load %s%n", kills, seed, root, load());
        new CrashHarness(root, seed).run(kills);
        System.out.printf("load after: %s%n", load());
    }

    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /** One writer's tally. */
    static final class Tally {
        int runs;
        int kills;
        int violations;
        List<String> examples = new ArrayList<>();
    }

    void run(int kills) throws Exception {
        Files.createDirectories(photos);
        Files.createDirectories(uploads);
        addPhotos(60);
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (String w : WRITERS) {
            tallies.put(w, new Tally());
        }
        int total = 0;
        long started = System.nanoTime();
        for (int cycle = 0; total < kills; cycle++) {
            String writer = WRITERS[cycle % WRITERS.length];
            Tally t = tallies.get(writer);
            t.runs++;
            boolean killed = switch (writer) {
                case "ingest" -> ingest();
                case "serve" -> serve();
                case "cluster" -> command(List.of("cluster"), 500, 3500);
                default -> command(List.of("train", "--head", "whiten", "--catch-up", "0"), 500, 3000);
            };
            if (killed) {
                t.kills++;
                total++;
            }
            List<String> violations = checkThenInvariants();
            t.violations += violations.size();
            if (t.examples.size() < 3) {
                t.examples.addAll(violations.stream().limit(3 - t.examples.size()).toList());
            }
            if (cycle % 20 == 19) {
                System.out.printf(Locale.ROOT, "  %d cycles, %d kills, %.0f s%n", cycle + 1, total,
                        (System.nanoTime() - started) / 1e9);
            }
        }
        // Every writer to its end, then the counts the photos on disk call for.
        // (Uploads whose encode event a killed server never answered are ingested from the bucket folder.)
        if (!runToEnd(List.of("ingest", photos.toString()))
                || !runToEnd(List.of("ingest", data.resolve("buckets/viewfold-images").toString()))) {
            throw new IllegalStateException("the final ingest did not finish");
        }
        runToEnd(List.of("cluster"));
        List<String> finalViolations = checkThenInvariants();
        TableStats stats;
        try (SqliteVectorTable table = new SqliteVectorTable(data)) {
            stats = table.stats(modelSpace(table).id());
        }
        long photoFiles = countFiles(photos) + countFiles(uploads);
        long folders = countFolders(photos) + countFolders(uploads);
        boolean countsMatch = stats.images() == photoFiles && stats.failed() == 0 && stats.observations() == folders;

        System.out.println();
        System.out.println("| writer | runs | SIGKILLs | violations |");
        System.out.println("|---|---:|---:|---:|");
        int violations = 0;
        for (var e : tallies.entrySet()) {
            System.out.printf("| %s | %d | %d | %d |%n", e.getKey(), e.getValue().runs, e.getValue().kills,
                    e.getValue().violations);
            violations += e.getValue().violations;
        }
        System.out.printf("| **all** | %d | %d | %d |%n", tallies.values().stream().mapToInt(t -> t.runs).sum(), total,
                violations + finalViolations.size());
        System.out.printf(Locale.ROOT, "%nfinal: %s images, %d failed, %d observations; photos on disk: %d in %d folders:"
                        + " %s; %d violations after every writer ran to its end; %.0f s in all%n", stats.images(),
                stats.failed(), stats.observations(), photoFiles, folders, countsMatch ? "counts equal" : "COUNTS DIFFER",
                finalViolations.size(), (System.nanoTime() - started) / 1e9);
        tallies.forEach((w, t) -> t.examples.forEach(v -> System.out.println("  " + w + ": " + v)));
        finalViolations.forEach(v -> System.out.println("  final: " + v));
    }

    // ---------------------------------------------------------------- writers

    /** New photos and a few rewritten ones, then an ingest killed somewhere in it. */
    boolean ingest() throws Exception {
        addPhotos(30);
        rewritePhotos(3);
        return command(List.of("ingest", photos.toString()), 500, 3000);
    }

    /** serve under uploads, refolds and label edits, killed while it answers them. */
    boolean serve() throws Exception {
        int port = 18_000 + random.nextInt(2000);
        Process p = spawn(List.of("serve"), Map.of("VIEWFOLD_PORT", Integer.toString(port)));
        if (!waitForLine(p, "viewfold: serving on", 60)) {
            p.destroyForcibly().waitFor();
            return false;
        }
        AtomicBoolean stop = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Random r = new Random(random.nextLong());
        Thread load = new Thread(() -> {
            while (!stop.get()) {
                try {
                    switch (r.nextInt(4)) {
                        case 0 -> post(http, port, "encode", upload(r));
                        case 3 -> post(http, port, "search", "{\"observationId\":\"" + someObservation(r) + "\",\"k\":5}");
                        case 1 -> post(http, port, "labels", "{\"observationId\":\"" + someObservation(r)
                                + "\",\"" + (r.nextBoolean() ? "add" : "remove") + "\":[\"l" + r.nextInt(4) + "\"]}");
                        default -> post(http, port, "aggregate", "{\"observationId\":\"" + someObservation(r)
                                + "\",\"strategy\":\"" + (r.nextBoolean() ? "mean" : "robust") + "\"}");
                    }
                    Thread.sleep(20);
                } catch (Exception gone) {
                    // the server was killed under the request
                }
            }
        });
        load.start();
        Thread.sleep(300 + random.nextInt(3000));
        boolean alive = p.isAlive();
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        load.join();
        return alive;
    }

    String upload(Random r) throws IOException {
        int n = nextUpload++;
        String folder = "up" + (n / 3);
        Path file = uploads.resolve(folder).resolve(n % 3 + ".jpg");
        Files.createDirectories(file.getParent());
        Files.copy(coil(2000 + r.nextInt(3000)), file, StandardCopyOption.REPLACE_EXISTING);
        return "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                + "{\"name\":\"viewfold-images\"},\"object\":{\"key\":\"images/" + folder + "/" + (n % 3) + ".jpg\"}}}]}";
    }

    String someObservation(Random r) throws IOException {
        try (Stream<Path> dirs = Files.list(photos)) {
            List<Path> all = dirs.toList();
            return all.get(r.nextInt(all.size())).getFileName().toString();
        }
    }

    static void post(HttpClient http, int port, String function, String body) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + function))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** A command killed between {@code fromMs} and {@code toMs} after its start; true if it was still running. */
    boolean command(List<String> args, int fromMs, int toMs) throws Exception {
        Process p = spawn(args, Map.of());
        boolean finished = p.waitFor(fromMs + random.nextInt(toMs - fromMs), TimeUnit.MILLISECONDS);
        if (finished) {
            return false;
        }
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return true;
    }

    boolean runToEnd(List<String> args) throws Exception {
        Process p = spawn(args, Map.of());
        return p.waitFor(15, TimeUnit.MINUTES) && p.exitValue() == 0;
    }

    Process spawn(List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-jar", BenchApp.jar().toString()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("children.log").toFile()));
        b.environment().put("VIEWFOLD_DATA", data.toString());
        b.environment().put("OPT_OUT_TRACKING", "true");
        b.environment().putAll(env);
        if (args.get(0).equals("serve")) {
            b.redirectOutput(ProcessBuilder.Redirect.PIPE);
        }
        return b.start();
    }

    static boolean waitForLine(Process p, String prefix, int seconds) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (String line = out.readLine(); line != null && System.nanoTime() < deadline; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe flowing
                        }
                    } catch (IOException gone) {
                        // killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the check

    /** The check command (what the next start of any writer does first), then the invariants. */
    List<String> checkThenInvariants() throws Exception {
        if (!runToEnd(List.of("check"))) {
            return List.of("the check command failed (see children.log)");
        }
        try (SqliteVectorTable table = new SqliteVectorTable(data)) {
            LocalObjectStore bucket = new LocalObjectStore(data.resolve("buckets/viewfold-images"));
            HeadStore heads = new HeadStore(bucket, new ObjectMapper());
            return Invariants.violations(table, bucket, heads, modelSpace(table));
        }
    }

    static Space modelSpace(SqliteVectorTable table) {
        return table.spaces().stream().filter(s -> !s.contains("+head@")).findFirst().map(Space::ofModel)
                .orElse(Space.ofModel("none@0"));
    }

    // ---------------------------------------------------------------- photos

    void addPhotos(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            int k = nextPhoto++;
            int object = k / 12 + 1;
            int angle = (k % 12) * 30;
            Path file = photos.resolve(String.format(Locale.ROOT, "obj%03d", object)).resolve(angle + ".jpg");
            Files.createDirectories(file.getParent());
            // Past COIL-100's hundred objects the photos come round again, under new observation names.
            Files.copy(coil((object - 1) % 100 * 72 + angle / 5), file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** New bytes under an old name: encoded again, its observation folded again. */
    void rewritePhotos(int n) throws IOException {
        for (int i = 0; i < n && nextPhoto > 0; i++) {
            int k = random.nextInt(nextPhoto);
            Path file = photos.resolve(String.format(Locale.ROOT, "obj%03d", k / 12 + 1)).resolve((k % 12) * 30 + ".jpg");
            Files.copy(coil(random.nextInt(7200)), file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The i-th COIL-100 image (object i / 72 + 1, angle 5 × (i % 72)). */
    static Path coil(int i) {
        return Shared.dataset("coil100/images/obj" + (i / 72 + 1) + "__" + (i % 72) * 5 + ".jpg");
    }

    static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jpg")).count();
        }
    }

    static long countFolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).count();
        }
    }
}
