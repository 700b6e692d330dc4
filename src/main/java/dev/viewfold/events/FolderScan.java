package dev.viewfold.events;

import dev.viewfold.encode.EncodeRequest;
import dev.viewfold.store.local.LocalObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the images under a folder, in a stable order, as encode requests keyed by relative path. */
public final class FolderScan {

    /** Extensions taken as images; the decoder, not the name, decides whether one really is. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

    private FolderScan() {
    }

    public static boolean looksLikeImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && !name.startsWith(".") && !LocalObjectStore.isMetadataSidecar(file)
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public static List<EncodeRequest> scan(LocalObjectStore store) throws IOException {
        try (Stream<Path> files = Files.walk(store.root())) {
            return files.filter(Files::isRegularFile)
                    .filter(FolderScan::looksLikeImage)
                    .map(store::keyOf)
                    .sorted()
                    .map(EncodeRequest::of)
                    .toList();
        }
    }
}
