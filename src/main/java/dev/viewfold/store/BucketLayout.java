package dev.viewfold.store;

import java.util.List;

/**
 * Where everything lives in the uploads bucket. Users write photos (anywhere, conventionally under
 * {@value #IMAGES}); Viewfold writes only under its system prefixes, which the event filter
 * therefore never takes for uploads:
 * <pre>
 * images/&lt;observation&gt;/&lt;view&gt;.jpg           photos (the key names the observation and the view)
 * index/&lt;space&gt;/images.vfi, observations.vfi   search index snapshots
 * maps/&lt;run&gt;/index.html, points.json, summary.json   each cluster run's map
 * maps/latest/...                                   the model space's newest run
 * maps/spaces/&lt;space&gt;/latest/...                  a head space's newest run
 * heads/&lt;model space&gt;/&lt;digest&gt;.vfhd            a trained head's weights
 * heads/&lt;model space&gt;/&lt;digest&gt;.heldout         the labelled observations it was not trained on
 * heads/&lt;model space&gt;/&lt;digest&gt;.json            its report; written last, it lists the head
 * heads/&lt;model space&gt;/classifiers/&lt;space&gt;/&lt;rows&gt;.vflc   a space's linear classifier, per labelled rows
 * decisions/duplicates/&lt;group&gt;.json               a person's decision on a near-duplicate group
 * </pre>
 */
public final class BucketLayout {

    /** Where photos conventionally go; the folder path after it names the observation. */
    public static final String IMAGES = "images/";
    public static final String INDEX = "index/";
    public static final String MAPS = "maps/";
    public static final String HEADS = "heads/";
    public static final String DECISIONS = "decisions/";
    /** The model space's newest map. */
    public static final String LATEST_MAP = MAPS + "latest/";

    /** Prefixes Viewfold writes itself: never photos, never encoded. */
    public static final List<String> SYSTEM_PREFIXES = List.of(INDEX, MAPS, HEADS, DECISIONS);

    private BucketLayout() {
    }

    /** Whether a key is one Viewfold wrote (a snapshot, a map, a head), not an upload. */
    public static boolean isSystemKey(String key) {
        return SYSTEM_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The key with a leading {@value #IMAGES} taken off: what names the observation and the view. */
    public static String photoPath(String key) {
        return key.startsWith(IMAGES) ? key.substring(IMAGES.length()) : key;
    }

    /** A search index snapshot of a space ({@code file}: {@code images.vfi}, {@code observations.vfi}). */
    public static String indexSnapshot(String space, String file) {
        return INDEX + space + "/" + file;
    }

    /** The folder of one cluster run's map. */
    public static String mapRun(String run) {
        return MAPS + run + "/";
    }

    /**
     * The folder of a space's newest map: {@value #LATEST_MAP} for the model space (what {@code /map/}
     * serves), {@code maps/spaces/<space>/latest/} for a head's.
     */
    public static String latestMap(String space, boolean modelSpace) {
        return modelSpace ? LATEST_MAP : MAPS + "spaces/" + space + "/latest/";
    }

    /** The folder of the heads trained on a model space. */
    public static String heads(String modelSpace) {
        return HEADS + modelSpace + "/";
    }

    public static String headWeights(String modelSpace, String digest) {
        return heads(modelSpace) + digest + ".vfhd";
    }

    /** The ids of the labelled observations a trained head was not trained on, one a line. */
    public static String headHeldOut(String modelSpace, String digest) {
        return heads(modelSpace) + digest + ".heldout";
    }

    public static String headReport(String modelSpace, String digest) {
        return heads(modelSpace) + digest + ".json";
    }

    /**
     * A linear classifier of a space (the model's or a head's), named by the digest of the labelled
     * rows and settings it was built from: rows relabelled, a new name. Not a head report (no
     * {@code .json}), so listing the heads passes over it.
     */
    public static String linearClassifier(String modelSpace, String space, String rowsDigest) {
        return heads(modelSpace) + "classifiers/" + space + "/" + rowsDigest + ".vflc";
    }

    /** Where the decisions on near-duplicate groups are kept. */
    public static final String DUPLICATE_DECISIONS = DECISIONS + "duplicates/";
}
