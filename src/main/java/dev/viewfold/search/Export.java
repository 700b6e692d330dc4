package dev.viewfold.search;

import java.io.IOException;
import java.io.Writer;
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

    public static Written write(SearchBackend backend, Target target, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<IndexEntry> entries = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        backend.forEach(target, (e, v) -> {
            entries.add(e);
            vectors.add(v);
        });
        Path npy = folder.resolve("vectors.npy");
        Npy.writeFloats(npy, vectors);
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
        return new Written(npy, csv, entries.size(), backend.dimension());
    }
}
