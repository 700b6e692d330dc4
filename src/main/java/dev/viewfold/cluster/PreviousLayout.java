package dev.viewfold.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.store.ObjectStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's layouts ({@code layout.json} beside its map: each observation's position in the space
 * HDBSCAN clustered and on the map), read back by the next run as its warm start. One file holds the
 * ids with their positions, so a crash between two writes cannot pair one run's ids with another's
 * positions.
 */
final class PreviousLayout {

    static final String FILE = "layout.json";
    static final long MAX_BYTES = 1L << 30;

    private PreviousLayout() {
    }

    /** What a run's layouts follow from: the settings that shape them, the ids and their vectors. */
    static String inputDigest(ClusterSettings s, List<String> ids, float[][] vectors) {
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update((s.pcaComponents() + "," + s.neighbours() + "," + s.dimensions() + "," + s.mapMinDist() + ","
                    + s.seed() + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(vectors.length == 0 ? 0 : vectors[0].length * 4);
            for (int i = 0; i < ids.size(); i++) {
                sha.update(ids.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                buffer.clear();
                buffer.asFloatBuffer().put(vectors[i]);
                sha.update(buffer.array(), 0, vectors[i].length * 4);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] write(ObjectMapper json, String run, String input, List<String> ids, Clustering clustering) {
        return write(json, run, input, ids, clustering, null, null);
    }

    /**
     * @param fit          the fit's record ({@link LastFit#fitNode}); null: a later run fits again
     * @param fingerprints every observation the run placed, by its vector's fingerprint
     */
    static byte[] write(ObjectMapper json, String run, String input, List<String> ids, Clustering clustering,
                        ObjectNode fit, Map<String, Long> fingerprints) {
        var out = new ByteArrayOutputStream(Math.max(1024, ids.size() * 80));
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("run", run);
            g.writeStringField("input", input);
            g.writeArrayFieldStart("ids");
            for (String id : ids) {
                g.writeString(id);
            }
            g.writeEndArray();
            rows(g, "space", clustering.space());
            rows(g, "map", clustering.map());
            if (fit != null && fingerprints != null) {
                g.writeObjectField("fit", fit);
                g.writeObjectFieldStart("fingerprints");
                for (var e : fingerprints.entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void rows(JsonGenerator g, String name, float[][] rows) throws IOException {
        g.writeArrayFieldStart(name);
        for (float[] row : rows) {
            g.writeStartArray();
            for (float v : row) {
                g.writeNumber(v); // exact: an unchanged input reuses these positions as they are
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    /**
     * The previous positions of this run's observations ({@code ids}, in this run's order), or
     * {@link ClusterPipeline.Prior#NONE} before a first run; an unreadable file is a warning and a
     * cold start, never a failed run.
     */
    static ClusterPipeline.Prior read(ObjectStore bucket, ObjectMapper json, String folder, List<String> ids,
                                      String input, int dimensions, List<String> warnings) throws IOException {
        String key = folder + FILE;
        if (!bucket.exists(key)) {
            return ClusterPipeline.Prior.NONE;
        }
        JsonNode root;
        try {
            root = json.readTree(bucket.get(key, MAX_BYTES).bytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            warnings.add(key + " could not be read (" + e.getOriginalMessage() + "): the layouts started afresh");
            return ClusterPipeline.Prior.NONE;
        }
        JsonNode before = root.path("ids");
        JsonNode space = root.path("space");
        JsonNode map = root.path("map");
        if (before.size() != space.size() || before.size() != map.size()
                || space.size() > 0 && space.get(0).size() != dimensions) {
            warnings.add(key + " does not match itself or these settings (" + dimensions
                    + " dimensions): the layouts started afresh");
            return ClusterPipeline.Prior.NONE;
        }
        Map<String, Integer> row = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            row.put(ids.get(i), i);
        }
        float[][] spaceStart = new float[ids.size()][];
        float[][] mapStart = new float[ids.size()][];
        for (int t = 0; t < before.size(); t++) {
            Integer i = row.get(before.get(t).asText());
            if (i != null) {
                spaceStart[i] = floats(space.get(t));
                mapStart[i] = floats(map.get(t));
            }
        }
        return new ClusterPipeline.Prior(spaceStart, mapStart, input.equals(root.path("input").asText())
                && before.size() == ids.size());
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int d = 0; d < out.length; d++) {
            out[d] = (float) array.get(d).asDouble();
        }
        return out;
    }
}
