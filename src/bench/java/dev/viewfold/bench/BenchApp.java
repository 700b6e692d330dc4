package dev.viewfold.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The packaged application the benchmarks start as child processes, copied once per run out of
 * {@code target/quarkus-app}: a build started meanwhile (another bench, a test run) replaces that
 * folder, and children of a half-hour harness must not find it gone.
 */
final class BenchApp {

    private static final Path BUILT = Path.of("target/quarkus-app");
    private static Path jar;

    private BenchApp() {
    }

    static synchronized Path jar() {
        if (jar != null) {
            return jar;
        }
        if (!Files.isRegularFile(BUILT.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("build the application first: ./mvnw -q package -DskipTests");
        }
        try {
            Path copy = Files.createTempDirectory("viewfold-bench-app");
            try (Stream<Path> files = Files.walk(BUILT)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(BUILT.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to);
                    }
                }
            }
            jar = copy.resolve("quarkus-run.jar");
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
