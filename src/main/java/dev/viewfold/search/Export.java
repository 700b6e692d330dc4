package dev.viewfold.search;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes an index as {@code vectors.npy} (float32, rows × dimension: {@code numpy.load}, then
 * faiss takes it as is) and {@code rows.csv} (row, id, observation, cluster, labels, updated:
 * {@code pandas.read_csv}); row {@code i} of one is line {@code i} of the other.
 */
public final class Export {

    /** What was written. */
    public record Written(Path vectors, Path rows, int count, int dimension) {
    }

    private Export() {
    }

    public static Written write(SearchIndex index, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<IndexEntry> entries = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        index.forEach((e, v) -> {
            entries.add(e);
            vectors.add(v);
        });
        Path npy = folder.resolve("vectors.npy");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(npy), 1 << 16)) {
            out.write(npyHeader(entries.size(), index.dimension()));
            ByteBuffer row = ByteBuffer.allocate(index.dimension() * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] v : vectors) {
                row.clear();
                row.asFloatBuffer().put(v);
                out.write(row.array());
            }
        }
        Path csv = folder.resolve("rows.csv");
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                     .setHeader("row", "id", "observation_id", "cluster_id", "labels", "updated_at").get())) {
            for (int i = 0; i < entries.size(); i++) {
                IndexEntry e = entries.get(i);
                p.printRecord(i, e.id(), e.observationId(), e.clusterId() == null ? "" : e.clusterId(),
                        String.join("|", e.labels().stream().sorted().toList()), e.updatedAt());
            }
        }
        return new Written(npy, csv, entries.size(), index.dimension());
    }

    /** NPY format 1.0: magic, version, header length, a Python dict literal padded to 64 bytes. */
    static byte[] npyHeader(int rows, int dimension) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + dimension + "), }";
        int unpadded = 6 + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
