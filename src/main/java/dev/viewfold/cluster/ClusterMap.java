package dev.viewfold.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The map of a run: its points as JSON, and a self-contained HTML page (the points inline, no script
 * or style fetched from anywhere) drawing them coloured by cluster, noise grey, thumbnails on hover,
 * a legend with cluster sizes. Streams the JSON: 100k points are ~15 MB.
 */
public final class ClusterMap {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String TEMPLATE = template();

    private ClusterMap() {
    }

    /** {@code [{"id","x","y","cluster","probability","outlierScore","thumbnail"}, ...]}. */
    public static byte[] pointsJson(List<MapPoint> points) {
        var out = new ByteArrayOutputStream(Math.max(1024, points.size() * 160));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (MapPoint p : points) {
                g.writeStartObject();
                g.writeStringField("id", p.id());
                g.writeNumberField("x", round(p.x()));
                g.writeNumberField("y", round(p.y()));
                g.writeStringField("cluster", p.clusterId());
                g.writeNumberField("probability", round(p.probability()));
                g.writeNumberField("outlierScore", round(p.outlierScore()));
                g.writeStringField("thumbnail", p.thumbnail());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] page(String run, String space, byte[] pointsJson, Map<String, String> colours) {
        // "</" inside the inline JSON could close the script element; "<\/" is the same JSON string.
        String points = new String(pointsJson, StandardCharsets.UTF_8).replace("</", "<\\/");
        String palette;
        try {
            palette = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(colours).replace("</", "<\\/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TEMPLATE.replace("__RUN__", html(run)).replace("__SPACE__", html(space))
                .replace("__COLOURS__", palette).replace("__POINTS__", points).getBytes(StandardCharsets.UTF_8);
    }

    /** Four decimals are far finer than a pixel and keep the page small. */
    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String template() {
        try (InputStream in = ClusterMap.class.getResourceAsStream("/cluster/map.html")) {
            if (in == null) {
                throw new IllegalStateException("cluster/map.html is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
