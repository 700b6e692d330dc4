package dev.viewfold.events;

import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.store.local.LocalObjectStore;
import dev.viewfold.testing.LocalEncoding;
import dev.viewfold.testing.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FolderWatcherTest {

    @Test
    void imagesDroppedIntoTheFolderAndNewSubfoldersAreEncoded(@TempDir Path data, @TempDir Path inbox) throws Exception {
        try (var local = new LocalEncoding(Shared.mobilenet(), data)) {
            var store = new LocalObjectStore(inbox);
            List<EncodeOutcome> seen = new CopyOnWriteArrayList<>();
            try (var watcher = new FolderWatcher(store, local.encoder, 200)) {
                Thread t = new Thread(() -> watcher.run(seen::addAll));
                t.start();
                Files.copy(Shared.dataset("coil100/images/obj8__0.jpg"), inbox.resolve("lone.jpg"));
                Path nested = Files.createDirectories(inbox.resolve("images/kettle"));
                Files.copy(Shared.dataset("coil100/images/obj8__30.jpg"), nested.resolve("30.jpg"));
                Files.writeString(inbox.resolve("notes.txt"), "ignored: not an image name");
                long deadline = System.currentTimeMillis() + 20_000;
                while (seen.size() < 2 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                Files.delete(inbox.resolve("lone.jpg"));
                while (seen.size() < 3 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                t.interrupt();
                t.join(5_000);
            }
            assertEquals(3, seen.size(), seen.toString());
            assertTrue(seen.subList(0, 2).stream().allMatch(o -> o.kind() == EncodeOutcome.Kind.ENCODED), seen.toString());
            assertEquals(EncodeOutcome.Kind.REMOVED, seen.get(2).kind());
            assertEquals(1, local.table.imagesOfObservation(local.encoder.space(), "kettle").size());
            assertEquals(0, local.table.imagesOfObservation(local.encoder.space(), "lone").size(), "deleted file, row gone");
            assertEquals("no views left", local.table.findObservation(local.encoder.space(), "lone").orElseThrow().error());
        }
    }
}
