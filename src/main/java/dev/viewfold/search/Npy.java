package dev.viewfold.search;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy's {@code .npy} format 1.0 for 2-d C-order arrays: what {@code numpy.load} (and through it
 * faiss, hnswlib, umap-learn) reads without glue.
 */
public final class Npy {

    private Npy() {
    }

    /** Magic, version, header length, then a Python dict literal padded so the data starts 64-byte aligned. */
    public static byte[] header(String descr, int rows, int cols) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int padding = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** Writes rows of one length as little-endian float32. */
    public static void writeFloats(Path file, List<float[]> rows) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            writeFloats(out, rows);
        }
    }

    /** The same, in memory (an object to put in a bucket). */
    public static byte[] floats(float[][] rows) {
        var out = new java.io.ByteArrayOutputStream(128 + rows.length * (rows.length == 0 ? 0 : rows[0].length) * 4);
        try {
            writeFloats(out, Arrays.asList(rows));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeFloats(OutputStream out, List<float[]> rows) throws IOException {
        int cols = rows.isEmpty() ? 0 : rows.get(0).length;
        out.write(header("<f4", rows.size(), cols));
        ByteBuffer row = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            row.clear();
            row.asFloatBuffer().put(r);
            out.write(row.array());
        }
    }

    public static void writeFloats(Path file, float[][] rows) throws IOException {
        writeFloats(file, Arrays.asList(rows));
    }

    /** Writes rows of one length as little-endian int64. */
    public static void writeLongs(Path file, int[][] rows) throws IOException {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(header("<i8", rows.length, cols));
            ByteBuffer row = ByteBuffer.allocate(cols * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int[] r : rows) {
                row.clear();
                for (int x : r) {
                    row.putLong(x);
                }
                out.write(row.array());
            }
        }
    }

    /** Reads a 2-d little-endian float32 C-order array. */
    public static float[][] readFloats(Path file) throws IOException {
        try (var in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return readFloats(in, file.toString());
        }
    }

    /** The same from bytes in memory. */
    public static float[][] readFloats(byte[] bytes, String name) throws IOException {
        return readFloats(new java.io.ByteArrayInputStream(bytes), name);
    }

    private static float[][] readFloats(java.io.InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        in.readFully(new byte[8]);
        int length = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        byte[] raw = new byte[length];
        in.readFully(raw);
        String header = new String(raw, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(name + ": expected a C-order float32 array, got " + header.trim());
        }
        String[] shape = header.substring(header.indexOf('(') + 1, header.indexOf(')')).split(",");
        int rows = Integer.parseInt(shape[0].trim());
        int cols = Integer.parseInt(shape[1].trim());
        float[][] out = new float[rows][cols];
        byte[] row = new byte[cols * 4];
        for (float[] r : out) {
            in.readFully(row);
            ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
        }
        return out;
    }
}
