package dev.viewfold.aggregate;

import java.time.Instant;

/**
 * One usable view of an observation: its image, its view id, its unit-length embedding, and when
 * it was taken (uploaded), which orders views whose ids are not numbers.
 */
public record View(String imageId, String viewId, float[] vector, Instant takenAt) {

    public View(String imageId, String viewId, float[] vector) {
        this(imageId, viewId, vector, null);
    }
}
