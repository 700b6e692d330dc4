package dev.viewfold.aggregate;

/** One usable view of an observation: its image, its view id, its unit-length embedding. */
public record View(String imageId, String viewId, float[] vector) {
}
