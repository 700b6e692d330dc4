package dev.viewfold.encode;

import java.awt.image.BufferedImage;

/** Pixels as stored, and how to turn them upright. */
public record DecodedImage(BufferedImage pixels, Orientation orientation) {
}
