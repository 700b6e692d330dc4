package dev.viewfold.events;

import dev.viewfold.encode.EncodeOutcome;
import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.encode.Encoder;
import dev.viewfold.store.local.LocalObjectStore;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The local stand-in for S3 notifications: watches a folder tree, encodes images as they are
 * created or rewritten, and removes the rows of images deleted from it. A file is encoded once its size has stopped changing for {@code settleMillis},
 * so a copy in progress is not read half-written. Encoding is idempotent, so a burst of events for
 * one file costs one encode.
 */
public final class FolderWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FolderWatcher.class);

    private final LocalObjectStore store;
    private final Encoder encoder;
    private final long settleMillis;
    private final WatchService watcher;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    /** Files seen changing, with the size and time last seen. */
    private final Map<Path, long[]> pending = new HashMap<>();
    /** Keys of image files deleted since the last pass; their rows go. */
    private final java.util.Set<String> deleted = new java.util.LinkedHashSet<>();

    public FolderWatcher(LocalObjectStore store, Encoder encoder, long settleMillis) throws IOException {
        this.store = store;
        this.encoder = encoder;
        this.settleMillis = settleMillis;
        this.watcher = FileSystems.getDefault().newWatchService();
        register(store.root());
    }

    /** Watches until closed or interrupted, passing each batch's outcomes to {@code sink}. */
    public void run(Consumer<List<EncodeOutcome>> sink) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watcher.poll(Math.max(50, settleMillis / 2), TimeUnit.MILLISECONDS);
                if (key != null) {
                    collect(key);
                }
                List<EncodeRequest> ready = settled();
                if (!ready.isEmpty()) {
                    sink.accept(encoder.encode(store, ready));
                }
                if (!deleted.isEmpty()) {
                    List<String> keys = new ArrayList<>(deleted);
                    deleted.clear();
                    sink.accept(encoder.forget(store, keys));
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void collect(WatchKey key) {
        Path folder = folders.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || folder == null) {
                continue;
            }
            Path file = folder.resolve((Path) event.context());
            if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                pending.remove(file);
                if (FolderScan.looksLikeImage(file)) {
                    deleted.add(store.keyOf(file));
                }
                continue;
            }
            if (Files.isDirectory(file)) {
                try {
                    register(file);
                    // Files may have landed before the new folder was watched.
                    try (var inside = Files.walk(file)) {
                        inside.filter(Files::isRegularFile).forEach(this::touch);
                    }
                } catch (IOException e) {
                    LOG.warnf("cannot watch %s: %s", file, e.getMessage());
                }
            } else {
                touch(file);
            }
        }
        if (!key.reset()) {
            folders.remove(key);
        }
    }

    private void touch(Path file) {
        if (FolderScan.looksLikeImage(file)) {
            pending.put(file, new long[] {size(file), System.currentTimeMillis()});
        }
    }

    private List<EncodeRequest> settled() {
        long now = System.currentTimeMillis();
        List<EncodeRequest> ready = new ArrayList<>();
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            long size = size(e.getKey());
            if (size < 0) {
                it.remove(); // deleted again before it settled
            } else if (size != e.getValue()[0]) {
                e.setValue(new long[] {size, now});
            } else if (now - e.getValue()[1] >= settleMillis) {
                ready.add(EncodeRequest.of(store.keyOf(e.getKey())));
                it.remove();
            }
        }
        return ready;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private void register(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                folders.put(dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE), dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() throws IOException {
        watcher.close();
    }
}
