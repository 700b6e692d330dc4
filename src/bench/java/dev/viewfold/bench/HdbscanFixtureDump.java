package dev.viewfold.bench;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes real embeddings for the HDBSCAN reference fixtures: every view of the first
 * {@code objects} COIL-100 objects (72 views each), MobileNetV2-int8 1280-d, one row per image, to
 * {@code target/bench-data/hdbscan/coil100-<objects>.csv}. {@code src/bench/peers/hdbscan_reference.R}
 * then reduces them to 5-d by PCA and stores R's clustering (see
 * {@code src/test/resources/cluster/hdbscan/README.md}).
 *
 * <pre>./mvnw -q -Pbench verify -Dbench=HdbscanFixtureDump -Dbench.args=25</pre>
 */
public final class HdbscanFixtureDump {

    public static void main(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        Path shared = Path.of(System.getProperty("shared.root", "../shared"));
        Map<String, List<Embeddings.Item>> data = Embeddings.of(shared, "coil100");
        List<String> ids = new ArrayList<>(data.keySet()).subList(0, objects);
        Path out = Files.createDirectories(Path.of("target/bench-data/hdbscan")).resolve("coil100-" + objects + ".csv");
        int rows = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            int dim = data.get(ids.get(0)).get(0).vector().length;
            StringBuilder header = new StringBuilder();
            for (int d = 0; d < dim; d++) {
                header.append(d == 0 ? "" : ",").append('e').append(d + 1);
            }
            w.write(header.append('\n').toString());
            for (String id : ids) {
                for (Embeddings.Item item : data.get(id)) {
                    StringBuilder line = new StringBuilder();
                    float[] v = item.vector();
                    for (int d = 0; d < v.length; d++) {
                        line.append(d == 0 ? "" : ",").append(v[d]);
                    }
                    w.write(line.append('\n').toString());
                    rows++;
                }
            }
        }
        System.out.printf("wrote %d embeddings of %d objects to %s%n", rows, objects, out);
    }
}
