package dev.viewfold.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viewfold.heads.HeadStore;
import dev.viewfold.space.Space;
import dev.viewfold.store.TableStats;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.testing.IngestChild;
import dev.viewfold.testing.Invariants;
import dev.viewfold.testing.LocalEncoding;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real kills: an ingesting child process is killed with SIGKILL at random moments, then the store is checked. */
class KillTest {

    @Test
    void anIngestKilledAtRandomMomentsLeavesAStoreTheRepairMakesWhole(@TempDir Path dir) throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (int obj = 1; obj <= 12; obj++) {
            Files.createDirectories(photos.resolve("obj" + obj));
            for (int angle = 0; angle < 360; angle += 30) {
                Files.copy(Shared.dataset("coil100/images/obj" + obj + "__" + angle + ".jpg"),
                        photos.resolve("obj" + obj + "/" + angle + ".jpg"));
            }
        }
        Path data = dir.resolve("data");
        Random random = new Random(23);
        int killed = 0;
        List<String> violations = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            Process child = start(data, photos);
            waitFor(child, "started");
            Thread.sleep(50 + random.nextInt(600)); // somewhere in the 144 images
            if (child.isAlive()) {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
                killed++;
            }
            violations.addAll(afterRepair(data));
        }
        Process last = start(data, photos);
        waitFor(last, "done");
        assertTrue(last.waitFor(60, TimeUnit.SECONDS) && last.exitValue() == 0);
        violations.addAll(afterRepair(data));
        assertTrue(killed >= 2, killed + " kills landed while it ran");
        assertEquals(List.of(), violations);
        try (LocalEncoding local = new LocalEncoding(Shared.mobilenet(), data)) {
            assertEquals(new TableStats(local.encoder.space(), 144, 0, 12), local.table.stats(local.encoder.space()));
        }
    }

    /** What a start of serve or a check does after a crash, then the invariants. */
    static List<String> afterRepair(Path data) {
        try (LocalEncoding local = new LocalEncoding(Shared.mobilenet(), data)) {
            HeadStore heads = new HeadStore(new LocalObjectStore(data.resolve("bucket")), new ObjectMapper());
            Space model = Space.ofModel(local.encoder.space());
            new CheckRun(local.table, new dev.viewfold.space.Spaces(model, heads::spacesOf), heads, local.aggregator,
                    Clock.systemUTC()).run();
            return Invariants.violations(local.table, new LocalObjectStore(data.resolve("bucket")), heads, model);
        }
    }

    static Process start(Path data, Path photos) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
                "-Dshared.root=" + Shared.root(), "-cp", pathingJar(data.getParent()).toString(),
                IngestChild.class.getName(), data.toString(), photos.toString())
                .redirectErrorStream(true).start();
    }

    /**
     * The test class path in a jar's manifest: ONNX Runtime crashes as it loads when
     * {@code java.class.path} passes about 4 KB (see the README's pitfalls), and this one is ten times that.
     */
    static Path pathingJar(Path dir) throws java.io.IOException {
        Path jar = dir.resolve("classpath.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        StringBuilder entries = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.append(entries.isEmpty() ? "" : " ").append(Path.of(entry).toUri());
            }
        }
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, entries.toString());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    static void waitFor(Process child, String line) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder said = new StringBuilder();
        for (String l = out.readLine(); l != null && System.nanoTime() < deadline; l = out.readLine()) {
            said.append(l).append('\n');
            if (l.startsWith(line)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe flowing
                        }
                    } catch (java.io.IOException ignored) {
                        // the child is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("the child never said '" + line + "'; it said:\n" + said);
    }
}
