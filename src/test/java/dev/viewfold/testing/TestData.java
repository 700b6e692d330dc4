package dev.viewfold.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test data folders that outlive a run: emptied once per JVM, so no test sees an earlier run's rows. */
public final class TestData {

    private TestData() {
    }

    /** Deletes {@code dir} the first time it is asked for in this JVM ({@code flag} remembers it). */
    public static synchronized void wipeOnce(Path dir, String flag) {
        if (Files.exists(dir) && !Boolean.getBoolean(flag)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        System.setProperty(flag, "true");
    }
}
