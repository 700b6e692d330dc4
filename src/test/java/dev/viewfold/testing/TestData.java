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

    /** Deletes a folder and everything in it, if it is there. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} the first time it is asked for in this JVM ({@code flag} remembers it). */
    public static synchronized void wipeOnce(Path dir, String flag) {
        if (!Boolean.getBoolean(flag)) {
            delete(dir);
        }
        System.setProperty(flag, "true");
    }
}
