package dev.viewfold.search;

import dev.viewfold.encode.BadImageException;

/** Turns a query image into a unit vector of the index's space (the encoder, in production). */
@FunctionalInterface
public interface QueryEncoder {

    float[] embed(byte[] image) throws BadImageException;
}
