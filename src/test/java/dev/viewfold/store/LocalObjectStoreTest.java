package dev.viewfold.store;

import dev.viewfold.store.local.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalObjectStoreTest {

    @Test
    void aReaderSeesTheOldObjectOrTheNewOneNeverAPartOfIt(@TempDir Path dir) throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir);
        byte[] a = new byte[4 << 20];
        byte[] b = new byte[4 << 20];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        store.put("maps/latest/summary.json", a, Map.of());
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get() && torn.get() == null) {
                try {
                    byte[] got = store.get("maps/latest/summary.json", Long.MAX_VALUE).bytes();
                    reads.incrementAndGet();
                    if (!Arrays.equals(got, a) && !Arrays.equals(got, b)) {
                        torn.set(got.length + " bytes, neither whole object");
                    }
                } catch (java.io.IOException e) {
                    torn.set("unreadable: " + e);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 60; i++) {
            store.put("maps/latest/summary.json", i % 2 == 0 ? b : a, Map.of());
        }
        done.set(true);
        reader.join();
        assertEquals(null, torn.get(), "after " + reads.get() + " reads");
        assertTrue(reads.get() > 0);
        try (var files = Files.list(dir.resolve("maps/latest"))) {
            assertEquals(List.of("summary.json"), files.map(f -> f.getFileName().toString()).toList(),
                    "no temporary file left behind");
        }
        assertEquals(List.of("maps/latest/summary.json"), store.list("maps/"));
    }
}
