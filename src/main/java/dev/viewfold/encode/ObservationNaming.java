package dev.viewfold.encode;

import dev.viewfold.errors.Refused;
import dev.viewfold.store.BucketLayout;
import java.util.Map;

/**
 * Decides which observation an image is a view of, first match wins:
 * <ol>
 *   <li>the request (an ingest manifest row);</li>
 *   <li>the object's metadata {@code observation-id} and {@code view};</li>
 *   <li>the key: {@code images/<observation>/<view>.<ext>} — more generally, after an optional
 *       leading {@code images/}, the folder path is the observation and the file name the view;</li>
 *   <li>a file with no folder is an observation of its own.</li>
 * </ol>
 */
public final class ObservationNaming {

    public static final String OBSERVATION_METADATA = "observation-id";
    public static final String VIEW_METADATA = "view";
    /** Object metadata naming the image's group labels, several separated by {@code |}. */
    public static final String LABELS_METADATA = "labels";

    private ObservationNaming() {
    }

    public record Assigned(String observationId, String viewId) {
    }

    public static Assigned assign(EncodeRequest request, Map<String, String> metadata) {
        String key = request.key();
        String stem = stem(key.substring(key.lastIndexOf('/') + 1));
        String observation = firstNonBlank(request.observationId(), metadata.get(OBSERVATION_METADATA));
        String view = firstNonBlank(request.viewId(), metadata.get(VIEW_METADATA));
        if (observation == null) {
            String path = BucketLayout.photoPath(key);
            int slash = path.lastIndexOf('/');
            observation = slash > 0 ? path.substring(0, slash) : stem;
        }
        return new Assigned(observation, view == null ? stem : view);
    }

    /**
     * The image's labels as the request or, failing that, the object's metadata states them; null
     * when neither says (the row keeps the labels it has).
     *
     * @throws Refused naming the bad label
     */
    public static java.util.Set<String> labels(EncodeRequest request, Map<String, String> metadata) {
        if (request.labels() != null) {
            return request.labels();
        }
        String stated = metadata.get(LABELS_METADATA);
        if (stated == null) {
            return null;
        }
        try {
            return dev.viewfold.store.Labels.parse(stated);
        } catch (Refused e) {
            throw Refused.invalid("metadata '" + LABELS_METADATA + "': " + e.getMessage(), e);
        }
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
