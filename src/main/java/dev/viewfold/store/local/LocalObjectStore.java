package dev.viewfold.store.local;

import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.StoredObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A folder as an object store: the key is the path relative to the root. User metadata, when an
 * object has any, sits beside it in {@code <name>.metadata.properties}.
 */
public final class LocalObjectStore implements ObjectStore {

    static final String METADATA_SUFFIX = ".metadata.properties";

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public StoredObject get(String key, long maxBytes) throws IOException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) { // gone, or a folder: no object by that key
            throw new ObjectNotFoundException(uri(key));
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(uri(key));
        }
        if (size > maxBytes) {
            throw new ObjectTooLargeException(uri(key), size, maxBytes);
        }
        return new StoredObject(uri(key), key, Files.readAllBytes(file), readMetadata(file));
    }

    @Override
    public void put(String key, byte[] bytes, Map<String, String> metadata) throws IOException {
        Path file = resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        Path sidecar = sidecar(file);
        if (metadata == null || metadata.isEmpty()) {
            Files.deleteIfExists(sidecar);
            return;
        }
        Properties p = new Properties();
        p.putAll(metadata);
        try (OutputStream out = Files.newOutputStream(sidecar)) {
            p.store(out, null);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public String uri(String key) {
        return resolve(key).toUri().toString();
    }

    /** The key of a file under the root ({@code /} separated), as {@link #get} expects it. */
    public String keyOf(Path file) {
        Path rel = root.relativize(file.toAbsolutePath().normalize());
        return rel.toString().replace(java.io.File.separatorChar, '/');
    }

    public static boolean isMetadataSidecar(Path file) {
        return file.getFileName().toString().endsWith(METADATA_SUFFIX);
    }

    /** @throws IllegalArgumentException for a key that is no path under the root */
    private Path resolve(String key) {
        Path file;
        try {
            file = root.resolve(key).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("not a valid key: " + e.getMessage());
        }
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("key escapes the store's folder: " + key);
        }
        return file;
    }

    private static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + METADATA_SUFFIX);
    }

    private static Map<String, String> readMetadata(Path file) throws IOException {
        Path sidecar = sidecar(file);
        if (!Files.exists(sidecar)) {
            return Map.of();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(sidecar)) {
            p.load(in);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(n -> m.put(n.toLowerCase(java.util.Locale.ROOT), p.getProperty(n)));
        return m;
    }
}
