package dev.viewfold.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viewfold.store.ObjectStore;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the latest layout ({@code layout.json}) says about the fit the space's clusters come from:
 * the run that fitted them, how many observations it fitted, how many have been placed among its
 * clusters since without a fit, the settings it used, and a fingerprint of every observation's vector
 * as the latest run saw it (an observation whose fingerprint still matches has not moved).
 *
 * @param layout the whole file, carried on by a placing run so the next fit still warm-starts from it
 */
record LastFit(String run, int observations, int placedSince, String settings, Map<String, Long> fingerprints,
               ObjectNode layout) {

    /** The latest layout's fit, or null: none yet, unreadable, or written before fits were recorded. */
    static LastFit read(ObjectStore bucket, ObjectMapper json, String folder) throws IOException {
        String key = folder + PreviousLayout.FILE;
        if (!bucket.exists(key)) {
            return null;
        }
        JsonNode root;
        try {
            root = json.readTree(bucket.get(key, PreviousLayout.MAX_BYTES).bytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // the warm start's read of the same file reports it
        }
        JsonNode fit = root.path("fit");
        JsonNode prints = root.path("fingerprints");
        if (!(root instanceof ObjectNode layout) || !fit.isObject() || !prints.isObject()) {
            return null;
        }
        Map<String, Long> fingerprints = new HashMap<>(prints.size() * 2);
        prints.fields().forEachRemaining(e -> fingerprints.put(e.getKey(), e.getValue().asLong()));
        return new LastFit(fit.path("run").asText(), fit.path("observations").asInt(), fit.path("placedSince").asInt(),
                fit.path("settings").asText(), fingerprints, layout);
    }

    /** The fit's record for a layout written by a fitting run. */
    static ObjectNode fitNode(ObjectMapper json, String run, int observations, int placedSince, String settings) {
        return json.createObjectNode().put("run", run).put("observations", observations).put("placedSince", placedSince)
                .put("settings", settings);
    }

    /**
     * The settings a fit depends on as configured (sizes left to the collection stay 0, so that the
     * rule's answer moving by one with a few new observations is not a change of settings).
     */
    static String settingsKey(ClusterSettings s) {
        return s.pcaComponents() + "," + s.neighbours() + "," + s.dimensions() + "," + s.minClusterSize() + ","
                + s.minSamples() + "," + s.mapMinDist() + "," + s.seed();
    }

    /** 64 bits of a vector's exact float values (FNV-1a over the bits, then a final mix). */
    static long fingerprint(float[] v) {
        long h = 0xcbf29ce484222325L;
        for (float f : v) {
            h ^= Float.floatToRawIntBits(f);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
