package dev.viewfold.store.local;

import dev.viewfold.store.ObjectStore;
import dev.viewfold.store.StoredObject;

import java.io.IOException;
import java.io.InputStream;
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
        Path sidecar = sidecar(file);
        if (metadata == null || metadata.isEmpty()) {
            Files.deleteIfExists(sidecar);
        } else {
            Properties p = new Properties();
            p.putAll(metadata);
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            p.store(text, null);
            writeAtomically(sidecar, text.toByteArray());
        }
        writeAtomically(file, bytes);
    }

    /**
     * Temporary file, flushed to the disk, then renamed over the target: a crash or a full disk
     * leaves the old file or the new one, never a file cut short. The temporary name starts with a
     * dot, so folder scans pass it over.
     */
    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + Long.toHexString(System.nanoTime()));
        try {
            // A stream, not a channel: an interrupted thread (a cancelled run recording why) still writes.
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public java.util.List<String> list(String prefix) throws IOException {
        int slash = prefix.lastIndexOf('/');
        Path folder = slash < 0 ? root : resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !isMetadataSidecar(f) && !f.getFileName().toString().startsWith("."))
                    .map(this::keyOf)
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
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
